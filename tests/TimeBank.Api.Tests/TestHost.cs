using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TimeBank.Api.Infrastructure.Database;
using TimeBank.Api.Partners;
using TimeBank.Domain.Partners;
using Wolverine;

namespace TimeBank.Api.Tests;

/// <summary>
/// One service host for the whole run, on the real PostgreSQL the build started, reached through real HTTP.
/// The run gets a database of its own (the configured one's name + <c>_test</c>), dropped and made anew
/// at the start; each test then owns its data by working in a community of its own.
/// </summary>
[SetUpFixture]
public sealed class TestHost
{
    /// <summary>The service's clock: 2026-11-23 10:00 in Shanghai, moved only by the tests that say so.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 2, 0, 0, TimeSpan.Zero);

    private static TimeBankFactory? _factory;

    public static TimeBankFactory Factory => _factory ?? throw new InvalidOperationException("The test host has not started.");

    public static string ConnectionString { get; private set; } = "";

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable(DatabaseConnection.EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(configured))
        {
            Assert.Fail($"{DatabaseConnection.EnvironmentVariable} is not set: run the tests with ./build.sh --target=Test, which starts PostgreSQL and sets it.");
        }

        ConnectionString = await FreshDatabaseAsync(configured, "_test");
        _factory = StartHost("Testing", ConnectionString);
    }

    /// <summary>The configured server's connection string for a database of its own, dropped if it was there.</summary>
    public static async Task<string> FreshDatabaseAsync(string? configured, string suffix)
    {
        var builder = new NpgsqlConnectionStringBuilder(configured ?? ConnectionString);
        builder.Database = (builder.Database ?? "timebank").Replace("_test", "", StringComparison.Ordinal) + suffix;
        await DropDatabaseAsync(builder);
        return builder.ConnectionString;
    }

    /// <summary>
    /// Starts a service host on <paramref name="connectionString"/>. The service reads its database from the
    /// environment while it is built, so the variable is set for the start; a second host gets a database of
    /// its own, because two hosts on one database are two nodes that would share the async projections.
    /// </summary>
    public static TimeBankFactory StartHost(string environment, string connectionString)
    {
        var previous = Environment.GetEnvironmentVariable(DatabaseConnection.EnvironmentVariable);
        Environment.SetEnvironmentVariable(DatabaseConnection.EnvironmentVariable, connectionString);
        try
        {
            var factory = new TimeBankFactory(environment);
            _ = factory.Server; // start now, so that a broken start fails here and not in the first request
            factory.IssueAdminKey();
            return factory;
        }
        finally
        {
            Environment.SetEnvironmentVariable(DatabaseConnection.EnvironmentVariable, previous);
        }
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
    }

    private static async Task DropDatabaseAsync(NpgsqlConnectionStringBuilder test)
    {
        var maintenance = new NpgsqlConnectionStringBuilder(test.ConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync();
        var name = new NpgsqlCommandBuilder().QuoteIdentifier(test.Database!);
        await using var drop = new NpgsqlCommand($"drop database if exists {name} with (force)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

/// <summary>
/// The real service, with a clock the tests control and Wolverine on this one node. Its clients send an admin
/// key for all communities unless a test takes it off (<see cref="Anonymous"/>) or sends another.
/// </summary>
public sealed class TimeBankFactory(string environment) : WebApplicationFactory<Program>
{
    public TestClock Clock { get; } = new(TestHost.Start);

    /// <summary>Everything the service logged in this run, as it would be written.</summary>
    public CapturedLogs Logs { get; } = new();

    public string AdminKey { get; private set; } = "";

    /// <summary>Issues the suite's own key the way the command line does.</summary>
    public void IssueAdminKey()
    {
        using var session = Store.LightweightSession();
        var (issued, _) = KeyEndpoints.IssueOn(session, null,
            new IssueKey("test-suite", [PartnerRole.Admin], [PartnerKey.AllCommunities], PartnerKey.MaxRequestsPerSecond, "tests"), TimeProvider.System);
        session.SaveChangesAsync().GetAwaiter().GetResult();
        AdminKey = issued!.Key;
    }

    /// <summary>The partner client generated from the OpenAPI document, with the suite's admin key, as a partner sets it up.</summary>
    public TimeBank.Client.Generated.TimeBankApiClient PartnerClient() =>
        TimeBank.Client.TimeBankClients.Over(CreateDefaultClient(TimeBank.Client.TimeBankClients.Handlers()));

    /// <summary>A client that sends no key.</summary>
    public HttpClient Anonymous()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Remove(PartnerAccess.KeyHeader);
        return client;
    }

    /// <summary>A client that sends <paramref name="key"/>.</summary>
    public HttpClient WithKey(string key)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Add(PartnerAccess.KeyHeader, key);
        return client;
    }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        if (AdminKey.Length > 0) client.DefaultRequestHeaders.Add(PartnerAccess.KeyHeader, AdminKey);
    }

    public IDocumentStore Store => Services.GetRequiredService<IDocumentStore>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<Serilog.Core.ILogEventSink>(Logs);
            services.RunWolverineInSoloMode();
        });
    }
}

/// <summary>
/// The service's clock under test: it stands still at a set moment, and a test may move it either way
/// (and must put it back, through <see cref="Travel"/>).
/// </summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; private set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    /// <summary>Moves the clock by <paramref name="by"/> until the returned scope is disposed.</summary>
    public IDisposable Travel(TimeSpan by)
    {
        var back = Now;
        Now += by;
        return new Return(() => Now = back);
    }

    private sealed class Return(Action back) : IDisposable
    {
        public void Dispose() => back();
    }
}

/// <summary>A Serilog sink that keeps every event as text: its message, its properties and any exception.</summary>
public sealed class CapturedLogs : Serilog.Core.ILogEventSink
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _events = new();

    public IReadOnlyCollection<string> Events => _events;

    public void Emit(Serilog.Events.LogEvent logEvent) =>
        _events.Enqueue($"{logEvent.RenderMessage()} {string.Join(' ', logEvent.Properties.Select(p => $"{p.Key}={p.Value}"))} {logEvent.Exception}");
}
