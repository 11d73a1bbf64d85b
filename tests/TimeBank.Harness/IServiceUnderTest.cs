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
}
