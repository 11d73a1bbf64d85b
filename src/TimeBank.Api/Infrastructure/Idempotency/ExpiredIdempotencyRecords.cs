using Marten;
using Npgsql;

namespace TimeBank.Api.Infrastructure.Idempotency;

/// <summary>
/// Removes idempotency records once they are older than <see cref="KeptFor"/>: a retry later than that is a new
/// request; and keeps at most <c>TIMEBANK_IDEMPOTENCY_RECORDS_PER_KEY</c> (100,000 by default) records of each
/// partner key, the oldest dropped first, so one key sending new Idempotency-Keys cannot grow the table without
/// bound (between sweeps a key adds at most its rate times the sweep's period). Every node sweeps every ten
/// minutes; two nodes sweeping at once only repeat each other's work. It sweeps every database of the store, so
/// it keeps working when communities move to databases of their own.
/// </summary>
public sealed class ExpiredIdempotencyRecords(IDocumentStore store, TimeProvider clock, IConfiguration configuration, ILogger<ExpiredIdempotencyRecords> logger)
    : BackgroundService
{
    /// <summary>The promise made to partners: a key is honoured for at least this long (unless its partner key sent more than the cap since).</summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromHours(24);

    public const string RecordsPerKeySetting = "TIMEBANK_IDEMPOTENCY_RECORDS_PER_KEY";

    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(10);

    private int RecordsPerKey => configuration.GetValue(RecordsPerKeySetting, 100_000);

    /// <summary>
    /// Deletes each partner key's records beyond its newest <paramref name="cap"/>, in every community (a record's id
    /// starts with its partner key's id); answers how many. Finding the keys over the cap is one pass that counts; only
    /// their records are then ranked, and deleted in chunks.
    /// </summary>
    public async Task<int> TrimAsync(int cap, CancellationToken cancellation)
    {
        var table = Table;
        var removed = 0;
        foreach (var database in await store.Storage.AllDatabases())
        {
            await using var connection = database.CreateConnection();
            await connection.OpenAsync(cancellation);
            var overCap = new List<string>();
            await using (var count = new NpgsqlCommand($"select split_part(id, ':', 1) from {table} group by 1 having count(*) > $1", connection) { Parameters = { new() { Value = cap } } })
            await using (var reader = await count.ExecuteReaderAsync(cancellation))
            {
                while (await reader.ReadAsync(cancellation)) overCap.Add(reader.GetString(0));
            }

            foreach (var partnerKey in overCap)
            {
                removed += await DeleteInChunksAsync(connection, $"""
                    delete from {table} r using (
                        select tenant_id, id from {table} where split_part(id, ':', 1) = $1
                        order by received_at desc, id offset $2 limit $3) beyond
                    where r.tenant_id = beyond.tenant_id and r.id = beyond.id
                    """, [partnerKey, cap], cancellation);
            }
        }

        return removed;
    }

    /// <summary>Deletes every record received more than <see cref="KeptFor"/> ago, oldest first, in chunks; answers how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellation)
    {
        var table = Table;
        var before = clock.GetUtcNow() - KeptFor;
        var removed = 0;
        foreach (var database in await store.Storage.AllDatabases())
        {
            await using var connection = database.CreateConnection();
            await connection.OpenAsync(cancellation);
            removed += await DeleteInChunksAsync(connection, $"""
                delete from {table} r using (
                    select tenant_id, id from {table} where received_at < $1 order by received_at limit $2) expired
                where r.tenant_id = expired.tenant_id and r.id = expired.id
                """, [before], cancellation);
        }

        return removed;
    }

    /// <summary>
    /// Each delete its own short transaction of at most <see cref="Chunk"/> rows, the chunk size its last parameter,
    /// until one deletes fewer: writes that insert records meanwhile never wait long behind a sweep (one delete of a
    /// bulk import's worth of records once held them for 1.5 s).
    /// </summary>
    private static async Task<int> DeleteInChunksAsync(NpgsqlConnection connection, string sql, object[] parameters, CancellationToken cancellation)
    {
        var removed = 0;
        int deleted;
        do
        {
            await using var delete = new NpgsqlCommand(sql, connection);
            foreach (var value in parameters.Append(Chunk)) delete.Parameters.Add(new NpgsqlParameter { Value = value });
            deleted = await delete.ExecuteNonQueryAsync(cancellation);
            removed += deleted;
        }
        while (deleted == Chunk);

        return removed;
    }

    private const int Chunk = 5_000;

    private string Table => store.Options.FindOrResolveDocumentType(typeof(IdempotentRequest)).TableName.QualifiedName;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SweepEvery, clock);
        do
        {
            try
            {
                var removed = await SweepAsync(stoppingToken);
                if (removed > 0) logger.LogInformation("Removed {Count} idempotency records older than {Hours} h", removed, KeptFor.TotalHours);
                var trimmed = await TrimAsync(RecordsPerKey, stoppingToken);
                if (trimmed > 0) logger.LogInformation("Removed {Count} idempotency records beyond {Cap} per partner key", trimmed, RecordsPerKey);
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
