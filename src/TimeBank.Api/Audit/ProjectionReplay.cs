using System.Diagnostics;
using Marten;
using Npgsql;
using TimeBank.Api.Infrastructure.EventStore;

namespace TimeBank.Api.Audit;

/// <summary>One view (document type) compared: how many documents live and replayed, and the ids that differ.</summary>
public sealed record ViewComparison(string View, long Live, long Replayed, IReadOnlyList<DocumentDifference> Differences);

/// <summary>A document that is only live, only replayed, or different in the two.</summary>
public sealed record DocumentDifference(string Community, string Id, string Difference);

public sealed record ReplayResult(string? Community, long Events, double Seconds, IReadOnlyList<ViewComparison> Views)
{
    public bool Equal => Views.All(v => v.Differences.Count == 0);
}

/// <summary>
/// Rebuilds every view from the event log into a scratch schema and compares each document with the live one.
/// The events (of one community, or all) are copied into the scratch schema, a store configured exactly like
/// the live one rebuilds its projections there, and the two schemas are compared table by table in SQL. The
/// live schema is only read: the live views and their daemon's progress are never touched. The scratch schema
/// is dropped at the end.
/// </summary>
public static class ProjectionReplay
{
    /// <summary>Differences listed per view at most; the counts are always whole.</summary>
    public const int MaxListedDifferences = 1000;

    public static async Task<ReplayResult> RunAsync(IDocumentStore live, NpgsqlDataSource dataSource, string? community, IProgress<string> progress, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var scratch = $"{EventStoreSetup.SchemaName}_replay_{Guid.NewGuid():N}"[..32];
        await using var replay = DocumentStore.For(options =>
        {
            options.Connection(dataSource);
            options.ConfigureTimeBank(scratch);
        });
        try
        {
            progress.Report($"Creating the scratch schema {scratch}...");
            await replay.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            var events = await CopyEventsAsync(dataSource, scratch, community, cancellation);
            progress.Report($"Copied {events:N0} events of {community ?? "every community"}.");

            using (var daemon = await replay.BuildProjectionDaemonAsync())
            {
                var projections = replay.Options.Projections.All.ToList();
                for (var i = 0; i < projections.Count; i++)
                {
                    progress.Report($"Rebuilding {projections[i].Name} ({i + 1} of {projections.Count})...");
                    await daemon.RebuildProjectionAsync(projections[i].Name, TimeSpan.FromMinutes(30), cancellation);
                }
            }

            var views = new List<ViewComparison>();
            var published = replay.Options.Projections.All.SelectMany(p => p.PublishedTypes()).Distinct().OrderBy(t => t.Name, StringComparer.Ordinal);
            foreach (var type in published)
            {
                views.Add(await CompareAsync(dataSource, live.Options.FindOrResolveDocumentType(type).TableName.QualifiedName,
                    ((IDocumentStore)replay).Options.FindOrResolveDocumentType(type).TableName.QualifiedName, type.Name, community, cancellation));
                progress.Report($"Compared {type.Name}: {views[^1].Live:N0} live, {views[^1].Replayed:N0} replayed, {views[^1].Differences.Count:N0} different.");
            }

            return new ReplayResult(community, events, Math.Round(clock.Elapsed.TotalSeconds, 1), views);
        }
        finally
        {
            await using var drop = dataSource.CreateCommand($"drop schema if exists {scratch} cascade");
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>Copies the streams and events (of one community, or all) into the scratch schema, and moves its sequence past them.</summary>
    private static async Task<long> CopyEventsAsync(NpgsqlDataSource dataSource, string scratch, string? community, CancellationToken cancellation)
    {
        const string live = EventStoreSetup.SchemaName;
        var only = community is null ? "" : "where tenant_id = $1";
        await using var connection = await dataSource.OpenConnectionAsync(cancellation);
        await using var transaction = await connection.BeginTransactionAsync(cancellation);
        long copied = 0;
        foreach (var table in new[] { "mt_streams", "mt_events" })
        {
            // The columns both schemas have, by name: the same store configuration makes them the same.
            await using var columns = new NpgsqlCommand(
                "select string_agg(quote_ident(column_name), ', ' order by ordinal_position) from information_schema.columns where table_schema = $1 and table_name = $2",
                connection, transaction)
            { Parameters = { new() { Value = scratch }, new() { Value = table } } };
            var list = (string)(await columns.ExecuteScalarAsync(cancellation))!;
            await using var copy = new NpgsqlCommand($"insert into {scratch}.{table} ({list}) select {list} from {live}.{table} {only}", connection, transaction);
            if (community is not null) copy.Parameters.Add(new() { Value = community });
            copied = await copy.ExecuteNonQueryAsync(cancellation);
        }

        await using var sequence = new NpgsqlCommand(
            $"select setval('{scratch}.mt_events_sequence', greatest(1, (select coalesce(max(seq_id), 0) from {scratch}.mt_events)))", connection, transaction);
        await sequence.ExecuteNonQueryAsync(cancellation);
        await transaction.CommitAsync(cancellation);
        return copied;
    }

    private static async Task<ViewComparison> CompareAsync(NpgsqlDataSource dataSource, string liveTable, string replayTable, string view, string? community, CancellationToken cancellation)
    {
        var only = community is null ? "" : "where tenant_id = $1";
        await using var connection = await dataSource.OpenConnectionAsync(cancellation);
        async Task<long> Count(string table)
        {
            await using var count = new NpgsqlCommand($"select count(*) from {table} {only}", connection);
            if (community is not null) count.Parameters.Add(new() { Value = community });
            return (long)(await count.ExecuteScalarAsync(cancellation))!;
        }

        var differences = new List<DocumentDifference>();
        await using (var differ = new NpgsqlCommand($"""
            select coalesce(l.tenant_id, r.tenant_id), coalesce(l.id, r.id)::text,
                   case when r.id is null then 'only live' when l.id is null then 'only replayed' else 'different' end
            from (select * from {liveTable} {only}) l
            full outer join (select * from {replayTable} {only}) r on l.tenant_id = r.tenant_id and l.id = r.id
            where l.id is null or r.id is null or l.data <> r.data
            order by 1, 2
            limit {MaxListedDifferences}
            """, connection))
        {
            if (community is not null) differ.Parameters.Add(new() { Value = community });
            await using var reader = await differ.ExecuteReaderAsync(cancellation);
            while (await reader.ReadAsync(cancellation)) differences.Add(new DocumentDifference(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return new ViewComparison(view, await Count(liveTable), await Count(replayTable), differences);
    }
}
