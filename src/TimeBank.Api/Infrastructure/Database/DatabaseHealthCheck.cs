using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace TimeBank.Api.Infrastructure.Database;

/// <summary>Healthy when the ledger's database answers a query within the health endpoint's time.</summary>
public sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("select 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("The database answers.");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            // The reason stays in the server's log; the response says only that the database is out of reach.
            return HealthCheckResult.Unhealthy("The database does not answer.", e);
        }
    }
}
