using Npgsql;

namespace TimeBank.Api.Infrastructure.Settings;

/// <summary>
/// The service's settings, from appsettings.json, appsettings.{Environment}.json and environment variables
/// (<c>Health__AsyncViewStallSeconds=300</c>), each overriding the one before; the README lists every one.
/// Read and checked once as the service starts (<see cref="Read"/>), so a wrong value stops it with a
/// message naming the setting instead of failing later.
/// </summary>
public sealed class TimeBankSettings
{
    public string ConnectionString { get; set; } = "";

    public HealthSettings Health { get; set; } = new();

    public TelemetrySettings Telemetry { get; set; } = new();

    public ConsoleSettings Console { get; set; } = new();

    /// <summary>Binds and checks every setting; <see cref="InvalidSettingsException"/> names each wrong one.</summary>
    public static TimeBankSettings Read(IConfiguration configuration)
    {
        var problems = new List<string>();
        var settings = new TimeBankSettings();
        try
        {
            configuration.GetSection("Health").Bind(settings.Health);
            configuration.GetSection("Telemetry").Bind(settings.Telemetry);
            configuration.GetSection("Console").Bind(settings.Console);
        }
        catch (InvalidOperationException e)
        {
            // A value of the wrong type ("Health:AsyncViewStallSeconds": "soon"); the binder's message names it.
            problems.Add(e.InnerException?.Message is { } inner ? $"{e.Message} {inner}" : e.Message);
        }

        var connection = configuration[Database.DatabaseConnection.EnvironmentVariable];
        if (string.IsNullOrWhiteSpace(connection)) connection = configuration.GetConnectionString("TimeBank");
        if (string.IsNullOrWhiteSpace(connection))
        {
            problems.Add($"No database configured: set {Database.DatabaseConnection.EnvironmentVariable} or ConnectionStrings:TimeBank (ConnectionStrings__TimeBank) to a PostgreSQL connection string, or start the service with ./build.sh --target=Run.");
        }
        else
        {
            try
            {
                if (new NpgsqlConnectionStringBuilder(connection).Database is not { Length: > 0 })
                {
                    problems.Add("The database connection string names no database (Database=timebank).");
                }
            }
            catch (ArgumentException e)
            {
                // The message names the keyword, never the password.
                problems.Add($"The database connection string is not valid: {e.Message}");
            }

            settings.ConnectionString = connection;
        }

        if (configuration["Logging:Json"] is { } json && !bool.TryParse(json, out _)) problems.Add($"Logging:Json is true or false, not '{json}'.");
        if (settings.Health.AsyncViewStallSeconds is < 10 or > 86_400) problems.Add("Health:AsyncViewStallSeconds is between 10 and 86400.");
        if (settings.Health.AsyncViewPollSeconds < 1 || settings.Health.AsyncViewPollSeconds >= settings.Health.AsyncViewStallSeconds)
        {
            problems.Add("Health:AsyncViewPollSeconds is at least 1 and less than Health:AsyncViewStallSeconds.");
        }

        if (!settings.Telemetry.MetricsPath.StartsWith('/')) problems.Add("Telemetry:MetricsPath starts with '/'.");
        if (settings.Telemetry.OtlpEndpoint is { Length: > 0 } otlp
            && !(Uri.TryCreate(otlp, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            problems.Add($"Telemetry:OtlpEndpoint is an absolute http(s) address (http://collector:4317), not '{otlp}'.");
        }

        if (settings.Telemetry.OtlpProtocol is not ("grpc" or "http/protobuf")) problems.Add($"Telemetry:OtlpProtocol is grpc or http/protobuf, not '{settings.Telemetry.OtlpProtocol}'.");
        if (settings.Console.KeyRingDirectory is { Length: > 0 } keyRing && !Path.IsPathFullyQualified(keyRing))
        {
            problems.Add($"Console:KeyRingDirectory is an absolute path (/var/lib/timebank/console-key-ring), not '{keyRing}'.");
        }

        if (settings.Console.ApiAddress is { Length: > 0 } api
            && !(Uri.TryCreate(api, UriKind.Absolute, out var apiUri) && apiUri.Scheme is "http" or "https" && apiUri.AbsolutePath == "/"))
        {
            problems.Add($"Console:ApiAddress is the service's own absolute http(s) address with no path (http://127.0.0.1:5080), not '{api}'.");
        }

        if (problems.Count > 0) throw new InvalidSettingsException(problems);
        return settings;
    }
}

public sealed class HealthSettings
{
    /// <summary>How long an async view may stand still while behind the log before this node is not ready.</summary>
    public int AsyncViewStallSeconds { get; set; } = 120;

    /// <summary>How often the async views' progress is read (for readiness and the lag metric).</summary>
    public int AsyncViewPollSeconds { get; set; } = 5;

    public TimeSpan AsyncViewStall => TimeSpan.FromSeconds(AsyncViewStallSeconds);

    public TimeSpan AsyncViewPoll => TimeSpan.FromSeconds(AsyncViewPollSeconds);
}

public sealed class TelemetrySettings
{
    /// <summary>Where traces and metrics are sent over OTLP; none sent when empty (OTEL_EXPORTER_OTLP_ENDPOINT works too).</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>grpc (port 4317) or http/protobuf (port 4318).</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>Where Prometheus scrapes the metrics.</summary>
    public string MetricsPath { get; set; } = "/metrics";

    /// <summary>service.name in traces and metrics.</summary>
    public string ServiceName { get; set; } = "timebank";
}

public sealed class ConsoleSettings
{
    /// <summary>
    /// Where the staff console's Data Protection keys (which encrypt its sign-in and antiforgery cookies) are kept:
    /// a directory every node of the service shares, never the ledger's database. Empty: the service user's local
    /// application data folder (timebank/console-key-ring).
    /// </summary>
    public string? KeyRingDirectory { get; set; }

    /// <summary>Where the console reaches the service's own API; empty: the first address this node listens on.</summary>
    public string? ApiAddress { get; set; }

    /// <summary>The key ring's directory as configured, or the default one.</summary>
    public string KeyRing(string contentRoot)
    {
        if (KeyRingDirectory is { Length: > 0 } configured) return configured;
        var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        return Path.Combine(local.Length > 0 ? local : contentRoot, "timebank", "console-key-ring");
    }
}

/// <summary>The service's settings are wrong; the message lists every wrong one.</summary>
public sealed class InvalidSettingsException(IReadOnlyList<string> problems)
    : Exception("The service's settings are not valid:" + string.Concat(problems.Select(p => $"{Environment.NewLine}  - {p}")))
{
    public IReadOnlyList<string> Problems { get; } = problems;

    /// <summary>The exit code for wrong settings (EX_CONFIG): systemd's unit does not restart on it.</summary>
    public const int ExitCode = 78;
}
