using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using TimeBank.Api.Infrastructure.Settings;

namespace TimeBank.Api.Infrastructure.Telemetry;

/// <summary>
/// OpenTelemetry: traces of requests (an incoming <c>traceparent</c> continues), outgoing HTTP, SQL (Npgsql),
/// Wolverine's messages and Marten's sessions; metrics of requests by route and status, the database
/// connections, the runtime and <see cref="TimeBankMetrics"/>. Prometheus scrapes them at
/// <c>Telemetry:MetricsPath</c>; with <c>Telemetry:OtlpEndpoint</c> (or <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>) both are
/// also pushed over OTLP.
/// </summary>
public static class TelemetrySetup
{
    public static void AddTimeBankTelemetry(this WebApplicationBuilder builder, TelemetrySettings settings)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(settings.ServiceName, serviceInstanceId: Environment.MachineName + "-" + Environment.ProcessId))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsInfrastructure(context.Request.Path, settings))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddSource("Wolverine", "Marten"))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddMeter(TimeBankMetrics.MeterName, "Wolverine", "Marten")
                .AddPrometheusExporter());

        if (settings.OtlpEndpoint is { Length: > 0 } endpoint)
        {
            var protocol = settings.OtlpProtocol == "http/protobuf" ? OpenTelemetry.Exporter.OtlpExportProtocol.HttpProtobuf : OpenTelemetry.Exporter.OtlpExportProtocol.Grpc;
            telemetry.UseOtlpExporter(protocol, new Uri(endpoint));
        }
        else if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            // The standard OTEL_EXPORTER_OTLP_* variables, read by the exporter itself.
            telemetry.UseOtlpExporter();
        }
    }

    public static void MapTimeBankMetrics(this WebApplication app, TelemetrySettings settings) =>
        app.MapPrometheusScrapingEndpoint(settings.MetricsPath);

    /// <summary>Scrapes and health probes come every few seconds; traced, they would drown the requests.</summary>
    private static bool IsInfrastructure(PathString path, TelemetrySettings settings) =>
        path.StartsWithSegments(settings.MetricsPath) || path.StartsWithSegments("/health");
}
