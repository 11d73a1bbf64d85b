using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using TimeBank.Api.Infrastructure.Database;
using TimeBank.Api.Infrastructure.EventStore;

namespace TimeBank.Api.Infrastructure.Health;

/// <summary>
/// <c>/health/live</c>: the process answers (a supervisor restarts it when not). <c>/health/ready</c>: the
/// database answers, the schema is applied and the async views this node runs are not stalled (a load balancer
/// sends it no requests when not). <c>/health</c> answers every check, as before. 503 when one fails.
/// </summary>
public static class HealthEndpoints
{
    public const string Live = "live";
    public const string Ready = "ready";

    /// <summary>A probe answers within a load balancer's usual timeout even when the database hangs.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    public static IServiceCollection AddTimeBankHealth(this IServiceCollection services)
    {
        services.AddSingleton<AsyncViewWatch>().AddHostedService(provider => provider.GetRequiredService<AsyncViewWatch>());
        services.AddHealthChecks()
            .AddCheck("process", () => HealthCheckResult.Healthy("The process answers."), [Live])
            .AddCheck<DatabaseHealthCheck>("database", tags: [Ready], timeout: ProbeTimeout)
            .AddCheck<SchemaHealthCheck>("schema", tags: [Ready], timeout: ProbeTimeout)
            .AddCheck<AsyncViewsHealthCheck>("async-views", tags: [Ready]);
        return services;
    }

    public static void MapTimeBankHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteAsync });
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Live), ResponseWriter = WriteAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready), ResponseWriter = WriteAsync });
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return context.Response.WriteAsJsonAsync(body);
    }
}

/// <summary>Healthy when the event store's tables are there: Marten applied the schema on start.</summary>
public sealed class SchemaHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand(
                $"select to_regclass('{EventStoreSetup.SchemaName}.mt_events') is not null and to_regclass('{EventStoreSetup.SchemaName}.mt_event_progression') is not null");
            return await command.ExecuteScalarAsync(cancellationToken) is true
                ? HealthCheckResult.Healthy("The schema is applied.")
                : HealthCheckResult.Unhealthy("The event store's tables are missing.");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The schema cannot be read: the database does not answer.", e);
        }
    }
}

/// <summary>Unhealthy when an async view run on this node is behind the log and has stood still for the stall time.</summary>
public sealed class AsyncViewsHealthCheck(AsyncViewWatch watch) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var stalled = watch.StalledHere();
        return Task.FromResult(stalled.Count == 0
            ? HealthCheckResult.Healthy("The async views run on this node are moving or caught up.")
            : HealthCheckResult.Unhealthy($"Stalled async views: {string.Join(", ", stalled)}."));
    }
}
