using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TimeBank.Api.Infrastructure.Database;
using TimeBank.Api.Partners;
using TimeBank.Api.Tests.Infrastructure;
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

    /// <summary>
    /// The test database as the cluster's superuser: for the tests' own look into the database, and for playing
    /// someone who has its password. The service itself runs as the runtime role (<see cref="ServiceRole"/>).
    /// </summary>
    public static string ConnectionString { get; private set; } = "";

    /// <summary>Every host of the run is held to the OpenAPI document the first one publishes.</summary>
    public static ContractCheck Contract { get; } = new();
    private static string _serviceRole = "";
    private static string _ownerRole = "";

    /// <summary>The role the service connects as: it may append to the event log and read it, nothing more.</summary>
    public static string ServiceRole => _serviceRole;

    /// <summary>The checkpoint signing key of the run (a file outside the database, as in production).</summary>
    public static string CheckpointKeyFile { get; } = Path.Combine(Path.GetTempPath(), $"timebank-test-checkpoint-{Environment.ProcessId}.pem");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var service = Environment.GetEnvironmentVariable(DatabaseConnection.EnvironmentVariable);
        var owner = Environment.GetEnvironmentVariable(DatabaseConnection.OwnerEnvironmentVariable);
        var superuser = Environment.GetEnvironmentVariable("TIMEBANK_DB_SUPERUSER");
        if (string.IsNullOrWhiteSpace(service) || string.IsNullOrWhiteSpace(owner) || string.IsNullOrWhiteSpace(superuser))
        {
            Assert.Fail("TIMEBANK_DB, TIMEBANK_DB_OWNER and TIMEBANK_DB_SUPERUSER are not all set: run the tests with ./build.sh --target=Test, which starts PostgreSQL, makes its roles and sets them.");
        }

        _serviceRole = DatabaseConnection.Role(service!);
        _ownerRole = DatabaseConnection.Role(owner!);
        if (!File.Exists(CheckpointKeyFile)) await File.WriteAllTextAsync(CheckpointKeyFile, TimeBank.Api.Audit.CheckpointKey.NewPrivateKeyPem());
        ConnectionString = await FreshDatabaseAsync(superuser, "_test");
        _factory = StartHost("Testing", ConnectionString);
    }

    /// <summary>The configured server's connection string (as the superuser) for a database of its own, dropped if it was there.</summary>
    public static async Task<string> FreshDatabaseAsync(string? configured, string suffix)
    {
        var builder = new NpgsqlConnectionStringBuilder(configured ?? ConnectionString);
        builder.Database = (builder.Database ?? "timebank").Replace("_test", "", StringComparison.Ordinal) + suffix;
        await DropDatabaseAsync(builder);
        return builder.ConnectionString;
    }

    /// <summary>A connection string to the same database as <paramref name="connectionString"/>, as <paramref name="role"/>.</summary>
    public static string As(string connectionString, string role) => new NpgsqlConnectionStringBuilder(connectionString) { Username = role }.ConnectionString;

    /// <summary>The settings a service process of the tests runs with on the database of <paramref name="connectionString"/>.</summary>
    public static Dictionary<string, string> ServiceSettings(string connectionString) => new()
    {
        [DatabaseConnection.EnvironmentVariable] = As(connectionString, _serviceRole),
        [DatabaseConnection.OwnerEnvironmentVariable] = As(connectionString, _ownerRole),
        [TimeBank.Api.Audit.CheckpointKey.FileSetting] = CheckpointKeyFile,
        // Tests make their checkpoints when they need one: a scheduled one could cover another test's tampering.
        [TimeBank.Api.Audit.CheckpointSchedule.MinutesSetting] = "0",
        // The staff console's cookie keys, in a directory of the run as a deployment's shared one would be.
        ["Console__KeyRingDirectory"] = Path.Combine(Path.GetTempPath(), $"timebank-test-console-keys-{Environment.ProcessId}"),
    };

    /// <summary>
    /// Starts a service host on the database of <paramref name="connectionString"/>, as the runtime role, the schema
    /// applied by the owner role. The service reads its settings from the environment while it is built, so they
    /// are set for the start; a second host gets a database of its own, because two hosts on one database are two
    /// nodes that would share the async projections.
    /// </summary>
    /// <param name="onKestrel">
    /// Serve on a real Kestrel port of 127.0.0.1 instead of the in-process test server: for a browser, and for the
    /// staff console, which calls the API at the address it listens on.
    /// </param>
    public static TimeBankFactory StartHost(string environment, string connectionString, bool onKestrel = false, DateTimeOffset? clock = null)
    {
        var settings = ServiceSettings(connectionString);
        var previous = settings.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        foreach (var (name, value) in settings) Environment.SetEnvironmentVariable(name, value);
        try
        {
            var factory = new TimeBankFactory(environment, clock ?? Start);
            if (onKestrel)
            {
                factory.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
                factory.StartServer();
            }
            else
            {
                _ = factory.Server; // start now, so that a broken start fails here and not in the first request
            }

            factory.IssueAdminKey();
            if (!Contract.Loaded) Contract.Load(factory.CreateClient().GetStringAsync(Api.TimeBankService.OpenApiPath).GetAwaiter().GetResult());
            return factory;
        }
        finally
        {
            foreach (var (name, value) in previous) Environment.SetEnvironmentVariable(name, value);
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
public sealed class TimeBankFactory(string environment, DateTimeOffset clockStart) : WebApplicationFactory<Program>
{
    public TimeBankFactory(string environment)
        : this(environment, TestHost.Start)
    {
    }

    public TestClock Clock { get; } = new(clockStart);

    /// <summary>Where a host started on Kestrel listens (http://127.0.0.1:port).</summary>
    public Uri Address => new(Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
        .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First());

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
            services.AddSingleton<IStartupFilter>(new ContractCheckStartup(TestHost.Contract));
            services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, ClientAddresses>();
        });
    }

    /// <summary>The header a test sends to come from one address (the in-process server has none of its own).</summary>
    public const string ClientAddressHeader = "X-Test-Client-Address";

    /// <summary>
    /// Gives each request a client address, as Kestrel would: the one the test names, else a new one, so that the
    /// limit on failed authentications per address meets only the test that is about it.
    /// </summary>
    private sealed class ClientAddresses : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
        {
            app.Use((context, then) =>
            {
                context.Connection.RemoteIpAddress = context.Request.Headers[ClientAddressHeader].FirstOrDefault() is { } named
                    ? System.Net.IPAddress.Parse(named)
                    : new System.Net.IPAddress(Random.Shared.GetItems<byte>([.. Enumerable.Range(0, 256).Select(b => (byte)b)], 16));
                return then(context);
            });
            next(app);
        };
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
