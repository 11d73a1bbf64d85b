namespace TimeBank.Harness;

/// <summary>
/// The service a measurement talks to: a separate process for the benchmark and the chaos runs, the test
/// suite's own host for the smoke tests that keep the measuring code from rotting.
/// </summary>
public interface IServiceUnderTest
{
    /// <summary>A client of the service's REST API that sends <paramref name="apiKey"/>.</summary>
    HttpClient NewClient(string apiKey);

    /// <summary>The memory of the process that serves.</summary>
    ProcessMemory Memory { get; }

    /// <summary>
    /// Another instance of the same service on the database of <paramref name="connectionString"/> (as the cluster's
    /// superuser; the instance runs as the runtime role), started and holding an admin key for all communities. A
    /// database of its own, so that it is not a second node beside this one.
    /// </summary>
    Task<SeparateService> StartSeparateAsync(string connectionString);
}

/// <summary>An instance started by <see cref="IServiceUnderTest.StartSeparateAsync"/>: its admin client, its process, and what stops it.</summary>
public sealed class SeparateService(HttpClient client, ProcessMemory process, Func<ValueTask> stop) : IAsyncDisposable
{
    public HttpClient Client { get; } = client;

    /// <summary>The process that serves (for the test suite's own host, the test process).</summary>
    public ProcessMemory Process { get; } = process;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await stop();
    }
}
