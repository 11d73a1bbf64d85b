using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;
using Npgsql;
using TimeBank.Api.Care;
using TimeBank.Api.Communities;
using TimeBank.Api.Elders;

namespace TimeBank.Api.Infrastructure.EventStore;

/// <summary>
/// The views kept off the write path, folded by the async daemon: an elder's care record, the care days the six ones
/// are checked against, a community's totals. Each spans many streams and nobody reads it in the request that
/// writes, so recording stays fast; they lag the log by the daemon's catch-up time (normally well under a second).
/// <para>
/// They read the same events (a service's, mostly), so they are folded together, as one composite projection in one
/// shard: the daemon reads and deserializes each event once for the three, and writes their documents and their
/// progress in one transaction. As three shards they read every event three times: a batch import of 2,000 services
/// a call ran at about 3,600 services/s with them, 4,900/s folded together and 7,000/s with no async view at all
/// (one instance, 25 calls, the load generator of the harness; README: Performance). The composite keeps each
/// view's own progress row (<c>CareDay:All</c>...) beside its own (<see cref="ShardName"/>).
/// </para>
/// </summary>
public static class AsyncViews
{
    public const string Name = "AsyncViews";

    /// <summary>The shard's progress row in <c>mt_event_progression</c>.</summary>
    public const string ShardName = Name + ":All";

    private static IEnumerable<IProjectionSource<IDocumentOperations, IQuerySession>> Projections() =>
        [new ElderCareRecordProjection(), new CareDayProjection(), new CommunityTotalsProjection()];

    public static void ConfigureAsyncViews(this StoreOptions options) =>
        options.Projections.CompositeProjectionFor(Name, composite =>
        {
            foreach (var projection in Projections()) composite.Add(projection);
        });

    /// <summary>
    /// A database whose async views were folded by one shard each (before 2026-12-02) has their progress rows but not
    /// the composite's, which would start from the first event and stop at once on those rows. There, the views are
    /// emptied and their progress forgotten, in one transaction, so the composite folds them again from the whole
    /// log: they lag until it has caught up. Run by the owner with the schema (<see cref="Database.DatabaseSchema"/>),
    /// under a lock, so nodes starting together do it once.
    /// </summary>
    public static async Task FoldTogetherFromNowOnAsync(IDocumentStore store, CancellationToken cancellation)
    {
        var progress = $"{store.Options.Events.DatabaseSchemaName}.mt_event_progression";
        var members = Projections().ToList();
        string[] progressRows = [.. members.Select(p => ((ProjectionBase)p).Name + ":All")];
        string[] tables = [.. members.SelectMany(p => p.PublishedTypes()).Select(t => store.Options.FindOrResolveDocumentType(t).TableName.QualifiedName)];
        foreach (var database in await store.Storage.AllDatabases())
        {
            await using var connection = database.CreateConnection();
            await connection.OpenAsync(cancellation);
            await using var transaction = await connection.BeginTransactionAsync(cancellation);
            await using (var lockCommand = new NpgsqlCommand("select pg_advisory_xact_lock(7340102)", connection, transaction))
                await lockCommand.ExecuteNonQueryAsync(cancellation);
            await using var separate = new NpgsqlCommand(
                $"select exists (select 1 from {progress} where name = any($1)) and not exists (select 1 from {progress} where name = $2)", connection, transaction)
            {
                Parameters = { new() { Value = progressRows }, new() { Value = ShardName } },
            };
            if (await separate.ExecuteScalarAsync(cancellation) is true)
            {
                foreach (var table in tables)
                {
                    await using var empty = new NpgsqlCommand($"delete from {table}", connection, transaction);
                    await empty.ExecuteNonQueryAsync(cancellation);
                }

                await using var forget = new NpgsqlCommand($"delete from {progress} where name = any($1)", connection, transaction)
                {
                    Parameters = { new() { Value = progressRows } },
                };
                await forget.ExecuteNonQueryAsync(cancellation);
            }

            await transaction.CommitAsync(cancellation);
        }
    }
}
