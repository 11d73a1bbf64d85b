using System.Diagnostics;
using Marten;
using Npgsql;
using NpgsqlTypes;
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
/// Folds every view from the event log again and compares each document with the live one. The log is read
/// once, community by community, up to the last event appended when the replay began; every event goes through
/// each view's own functions (<see cref="IFoldedView"/>) in memory; then each view's folded documents are copied
/// into a temporary table and compared with the live ones in SQL, as stored JSON. The live schema is only read.
/// <para>
/// Communities are independent (a view never spans two), so only the documents of the communities being folded
/// are held, <see cref="EventLogReader.CommunitiesAtOnce"/> at a time.
/// </para>
/// </summary>
public static class ProjectionReplay
{
    /// <summary>Differences listed per view at most; the counts are always whole.</summary>
    public const int MaxListedDifferences = 1000;

    public static async Task<ReplayResult> RunAsync(IDocumentStore store, string? community, IProgress<string> progress, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        // A projection of Marten's own kind is the view itself; one that only implements IProjection is wrapped; the
        // async views are the members of one composite (AsyncViews).
        var views = store.Options.Events.Projections()
            .SelectMany(p => p is JasperFx.Events.Projections.Composite.CompositeProjection<IDocumentOperations, IQuerySession> composite
                ? composite.AllProjections().Cast<JasperFx.Events.Subscriptions.ISubscriptionSource>() : [p])
            .Select(p => (p as IFoldedView ?? (p as JasperFx.Events.Projections.IProjectionWrapper)?.InnerProjection as IFoldedView)
                ?? throw new InvalidOperationException($"The projection {p.Name} does not say how it folds (IFoldedView): it cannot be replayed.")).ToList();
        var through = await EventLogReader.LastSequenceAsync(store, cancellation);
        IReadOnlyList<string> communities = community is null ? await EventLogReader.CommunitiesAsync(store, cancellation) : [community];
        progress.Report($"Replaying {communities.Count:N0} {(communities.Count == 1 ? "community" : "communities")} through event {through:N0}...");

        var compared = new ViewComparison[communities.Count][];
        var eventCounts = new long[communities.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, communities.Count), new ParallelOptions { MaxDegreeOfParallelism = EventLogReader.CommunitiesAtOnce, CancellationToken = cancellation },
            async (i, token) =>
            {
                var step = Stopwatch.StartNew();
                var (events, folded) = await FoldAsync(store, communities[i], through, views, token);
                var folding = step.Elapsed;
                eventCounts[i] = events;
                compared[i] = await CompareAsync(store, communities[i], folded, token);
                Infrastructure.Telemetry.TimeBankMetrics.Folded("replay", events);
                lock (progress)
                {
                    progress.Report($"Replayed {communities[i]}: {events:N0} events folded in {folding.TotalSeconds:0.0} s, compared in {(step.Elapsed - folding).TotalSeconds:0.0} s; " +
                        $"{compared[i].Sum(v => v.Differences.Count):N0} documents different.");
                }
            });

        // Communities were compared in code order; a view's differences are listed in that order, up to the limit.
        var total = compared.SelectMany(c => c).GroupBy(v => v.View).OrderBy(g => g.Key, StringComparer.Ordinal).Select(view => new ViewComparison(
            view.Key, view.Sum(v => v.Live), view.Sum(v => v.Replayed), [.. view.SelectMany(v => v.Differences).Take(MaxListedDifferences)]));
        return new ReplayResult(community, eventCounts.Sum(), Math.Round(clock.Elapsed.TotalSeconds, 1), [.. total]);
    }

    /// <summary>Every view's documents of one community, folded from its events in sequence order.</summary>
    private static async Task<(long Events, Dictionary<IFoldedView, Dictionary<object, object>> Folded)> FoldAsync(
        IDocumentStore store, string community, long through, IReadOnlyList<IFoldedView> views, CancellationToken cancellation)
    {
        var deserialize = EventLogReader.Deserializer(store);
        var folded = views.ToDictionary(v => v, _ => new Dictionary<object, object>());
        long events = 0;
        await foreach (var stored in EventLogReader.ReadAsync(store, community, through, cancellation))
        {
            events++;
            if (deserialize(stored) is not { } data) continue;
            foreach (var view in views)
            {
                var documents = folded[view];
                foreach (var id in view.IdsChangedBy(stored.StreamId, data))
                {
                    if (view.Fold(documents.GetValueOrDefault(id), id, data) is { } document) documents[id] = document;
                    else documents.Remove(id);
                }
            }
        }

        return (events, folded);
    }

    /// <summary>Copies each view's folded documents into a temporary table and compares them with the live table, in SQL.</summary>
    private static async Task<ViewComparison[]> CompareAsync(
        IDocumentStore store, string community, Dictionary<IFoldedView, Dictionary<object, object>> folded, CancellationToken cancellation)
    {
        var serializer = store.Options.Serializer();
        var database = await store.Storage.FindOrCreateDatabase(community);
        await using var connection = database.CreateConnection();
        await connection.OpenAsync(cancellation);
        // One join of a view's live documents with the replayed ones, in a temporary table PostgreSQL has no statistics
        // for: left to its defaults, it costed the join at millions of rows, compiled it (JIT: 0.2 s a view and
        // community) and sorted both sides on disk to merge them. Hashed in memory, the join of a community's 74,000
        // service records took 0.28 s instead of 0.61 s. Session settings: the pool's reset takes them back.
        await using (var settings = new NpgsqlCommand("set jit = off; set work_mem = '64MB'; set enable_mergejoin = off", connection))
            await settings.ExecuteNonQueryAsync(cancellation);
        await using (var create = new NpgsqlCommand("create temporary table tb_replayed (id text not null, data jsonb not null)", connection))
            await create.ExecuteNonQueryAsync(cancellation);

        var comparisons = new List<ViewComparison>();
        foreach (var (view, documents) in folded)
        {
            await using (var clear = new NpgsqlCommand("truncate tb_replayed", connection)) await clear.ExecuteNonQueryAsync(cancellation);
            await using (var copy = await connection.BeginBinaryImportAsync("copy tb_replayed (id, data) from stdin (format binary)", cancellation))
            {
                foreach (var (id, document) in documents)
                {
                    await copy.StartRowAsync(cancellation);
                    await copy.WriteAsync(id.ToString()!, NpgsqlDbType.Text, cancellation);
                    await copy.WriteAsync(serializer.ToJson(document), NpgsqlDbType.Jsonb, cancellation);
                }

                await copy.CompleteAsync(cancellation);
            }

            // The view's documents are in the temporary table now: let them go before the next view is copied, so a
            // community being compared holds less and less while the next one is folded beside it.
            var replayed = documents.Count;
            documents.Clear();
            documents.TrimExcess();
            var live = store.Options.FindOrResolveDocumentType(view.ViewType).TableName.QualifiedName;
            comparisons.Add(new ViewComparison(view.ViewType.Name, await CountLiveAsync(connection, live, community, cancellation), replayed,
                await DifferencesAsync(connection, live, community, cancellation)));
        }

        return [.. comparisons];
    }

    private static async Task<long> CountLiveAsync(NpgsqlConnection connection, string live, string community, CancellationToken cancellation)
    {
        await using var count = new NpgsqlCommand($"select count(*) from {live} where tenant_id = $1", connection) { Parameters = { new() { Value = community } } };
        return (long)(await count.ExecuteScalarAsync(cancellation))!;
    }

    private static async Task<List<DocumentDifference>> DifferencesAsync(NpgsqlConnection connection, string live, string community, CancellationToken cancellation)
    {
        await using var differ = new NpgsqlCommand($"""
            select coalesce(l.id::text, r.id),
                   case when r.id is null then 'only live' when l.id is null then 'only replayed' else 'different' end
            from (select id, data from {live} where tenant_id = $1) l
            full outer join tb_replayed r on l.id::text = r.id
            where l.id is null or r.id is null or l.data <> r.data
            order by 1
            limit {MaxListedDifferences}
            """, connection)
        { Parameters = { new() { Value = community } } };
        var differences = new List<DocumentDifference>();
        await using var reader = await differ.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation)) differences.Add(new DocumentDifference(community, reader.GetString(0), reader.GetString(1)));
        return differences;
    }
}
