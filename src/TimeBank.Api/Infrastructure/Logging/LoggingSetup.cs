using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace TimeBank.Api.Infrastructure.Logging;

/// <summary>
/// Serilog is the only logging provider. Logs carry ids (community code, volunteer and elder ids), never
/// names, phones, addresses or birth dates: those are personal data and stay in the personal-details store.
/// Set <c>Logging:Json=true</c> for one compact JSON object per line (for a log shipper). Each request's lines
/// carry its <c>CorrelationId</c>.
/// </summary>
public static class LoggingSetup
{
    public static void AddTimeBankLogging(this WebApplicationBuilder builder)
    {
        var json = builder.Configuration.GetValue<bool>("Logging:Json");
        builder.Services.AddSerilog((services, logger) =>
        {
            // Levels (and any further sink) come from the Serilog section: appsettings.json sets them (Wolverine's
            // handler discovery warns on every start, not something to act on, so only its errors show), and
            // Serilog__MinimumLevel__Default=Debug or Serilog__MinimumLevel__Override__Marten=Information change them.
            logger
                .ReadFrom.Configuration(builder.Configuration)
                .Enrich.FromLogContext()
                // A client's malformed JSON is answered with a 400 and shows in the request log; it is not our error.
                .Filter.ByExcluding(e => e.Exception is System.Text.Json.JsonException && e.Level == LogEventLevel.Error);
            if (json)
                logger.WriteTo.Console(new CompactJsonFormatter());
            else
                logger.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");

            // Any other sink the host registers (a log shipper; the tests' capture, which checks no personal data is logged).
            foreach (var sink in services.GetServices<Serilog.Core.ILogEventSink>()) logger.WriteTo.Sink(sink);
        });
    }
}
