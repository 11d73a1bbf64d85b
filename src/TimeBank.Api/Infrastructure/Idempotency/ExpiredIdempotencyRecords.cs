using Marten;
using Npgsql;

namespace TimeBank.Api.Infrastructure.Idempotency;

/// <summary>
/// Removes idempotency records once they are older than <see cref="KeptFor"/>: a retry later than that is a new
/// request. Every node sweeps every hour; a sweep is one indexed delete by age, so two nodes sweeping at once
/// only repeat each other's work. It sweeps every database of the store, so it keeps working when communities
/// move to databases of their own.
/// </summary>
public sealed class ExpiredIdempotencyRecords(IDocumentStore store, TimeProvider clock, ILogger<ExpiredIdempotencyRecords> logger) : BackgroundService
{
    /// <summary>The promise made to partners: a key is honoured for at least this long.</summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromHours(24);

    private static readonly TimeSpan SweepEvery = TimeSpan.FromHours(1);

    /// <summary>Deletes every record received more than <see cref="KeptFor"/> ago; answers how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellation)
    {
        var table = store.Options.FindOrResolveDocumentType(typeof(IdempotentRequest)).TableName.QualifiedName;
        var before = clock.GetUtcNow() - KeptFor;
        var removed = 0;
        foreach (var database in await store.Storage.AllDatabases())
        {
            await using var connection = database.CreateConnection();
            await connection.OpenAsync(cancellation);
            await using var delete = new NpgsqlCommand($"delete from {table} where received_at < $1", connection) { Parameters = { new() { Value = before } } };
            removed += await delete.ExecuteNonQueryAsync(cancellation);
        }

        return removed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SweepEvery, clock);
        do
        {
            try
            {
                var removed = await SweepAsync(stoppingToken);
                if (removed > 0) logger.LogInformation("Removed {Count} idempotency records older than {Hours} h", removed, KeptFor.TotalHours);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                // The database is away; the next sweep catches up.
                logger.LogWarning(e, "Could not sweep idempotency records");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
