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

    /// <summary>Binds and checks every setting; <see cref="InvalidSettingsException"/> names each wrong one.</summary>
    public static TimeBankSettings Read(IConfiguration configuration)
    {
        var problems = new List<string>();
        var settings = new TimeBankSettings();
        try
        {
            configuration.GetSection("Health").Bind(settings.Health);
            configuration.GetSection("Telemetry").Bind(settings.Telemetry);
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

/// <summary>The service's settings are wrong; the message lists every wrong one.</summary>
public sealed class InvalidSettingsException(IReadOnlyList<string> problems)
    : Exception("The service's settings are not valid:" + string.Concat(problems.Select(p => $"{Environment.NewLine}  - {p}")))
{
    public IReadOnlyList<string> Problems { get; } = problems;

    /// <summary>The exit code for wrong settings (EX_CONFIG): systemd's unit does not restart on it.</summary>
    public const int ExitCode = 78;
}
