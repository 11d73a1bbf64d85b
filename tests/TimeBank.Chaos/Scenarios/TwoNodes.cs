using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Npgsql;
using TimeBank.Harness;

namespace TimeBank.Chaos.Scenarios;

/// <summary>
/// Two service nodes on one database, with deposits, time-savings holds and exchanges spread over both (each
/// client stays on its node and moves to the other when its node stops answering, as behind a load balancer).
/// kill -9 of the node that leads Wolverine (and so assigns the async views), and later of the other one: nothing
/// acknowledged is lost or written twice, no answer is a 5xx, and the async views take in what is appended after
/// the kill within 15 s of it.
/// </summary>
public static class TwoNodes
{
    /// <summary>How soon after a kill the async views must take in what is appended after it.</summary>
    public static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(15);

    private const string Schema = AsyncViews.Schema;

    public static async Task<ScenarioResult> RunAsync(ChaosRun run, int secondPort, string secondLog)
    {
        var community = await run.CommunityWithPointsAsync("chaos-nodes", volunteers: 12, greetingsEach: 300);
        var (stationId, items) = await run.Ledger.OpenStationAsync(community.Code, items: 2, stock: 1_000_000);
        var day = run.OpenQuarterStart;

        var first = run.Service;
        await using var second = first.Sibling(secondPort, secondLog);
        ServiceProcess[] nodes = [first, second];
        var nodeIds = new ConcurrentDictionary<ServiceProcess, Guid>();
        // The first node is the only one alive now; the second's id is the one that appears when it starts.
        nodeIds[first] = (await LiveNodesAsync(run.ConnectionString)).Single();
        nodeIds[second] = await StartAsync(run, second);

        var balancer = new Balancer(nodes, run.ApiKey);
        var deposits = new ConcurrentDictionary<Guid, WriteOutcome>();
        var orders = new ConcurrentDictionary<Guid, WriteOutcome>();
        var holds = new ConcurrentBag<WriteOutcome>();
        var going = true;

        Task Deposits(int worker) => run.RecordGreetingsWhileAsync(community, worker, day, () => going, deposits, TimeSpan.FromSeconds(90), balancer.Next);

        // A few a second: the points a volunteer holds last the scenario.
        Task Orders(int worker) =>
            run.PlaceOrdersWhileAsync(community, 8 + worker, stationId, items, () => going, orders, TimeSpan.FromSeconds(90), balancer.Next, TimeSpan.FromMilliseconds(250));

        async Task Holds(int worker)
        {
            // Five minutes at a time, two a second: well within the minutes each volunteer banked.
            var writer = new RetryingWriter(balancer.Next, TimeSpan.FromSeconds(90));
            while (going)
            {
                holds.Add(await writer.PostAsync($"/api/v1/communities/{community.Code}/time-savings", new
                {
                    accountId = community.People[10 + worker].Volunteer,
                    serviceType = "cleaning-laundry",
                    minutes = 5,
                    recordedBy = "chaos-grid",
                }));
                await Task.Delay(500);
            }
        }

        var recoveries = new List<(string Killed, TimeSpan Views, TimeSpan? Leader)>();
        var failures = new List<string>();

        async Task KillAndRecover(bool leader)
        {
            var leaderId = await LeaderAsync(run.ConnectionString);
            var victim = nodes.FirstOrDefault(n => nodeIds.TryGetValue(n, out var id) && (id == leaderId) == leader && n.ProcessId is not null);
            if (victim is null)
            {
                failures.Add($"no running node was {(leader ? "the leader" : "a node other than the leader")} (leader {leaderId})");
                return;
            }

            var viewsThere = await ScalarAsync(run.ConnectionString,
                $"select count(*) from {Schema}.wolverine_node_assignments where id like 'event-subscriptions:%' and node_id = '{nodeIds[victim]}'");
            var appended = await AsyncViews.LastSequenceAsync(run.ConnectionString);
            var killed = Stopwatch.StartNew();
            victim.KillHard();
            // The views are back when they have taken in an event appended after the kill: a view left on the dead node
            // may have been caught up when it died, but it takes in nothing more until it runs on the other one.
            long? after = null;
            TimeSpan? newLeader = null, views = null;
            while (killed.Elapsed < TimeSpan.FromSeconds(120) && (views is null || (leader && newLeader is null)))
            {
                if (newLeader is null && await LeaderAsync(run.ConnectionString) is { } id && id != nodeIds[victim]) newLeader = killed.Elapsed;
                after ??= await AsyncViews.LastSequenceAsync(run.ConnectionString) is var last && last > appended ? last : null;
                if (views is null && after is { } target && await AsyncViews.BehindAsync(run.ConnectionString, target) == 0) views = killed.Elapsed;
                await Task.Delay(100);
            }

            var name = $"{(leader ? "the leader" : "the other node")} ({viewsThere} of the async views on it)";
            var caughtUp = views ?? killed.Elapsed;
            recoveries.Add((name, caughtUp, leader ? newLeader ?? killed.Elapsed : null));
            run.Say($"kill -9 of {name}: async views took in what was appended after it within {caughtUp.TotalSeconds:0.0} s" + (leader ? $", a new leader after {newLeader?.TotalSeconds:0.0} s" : ""));
            if (leader && newLeader is null) failures.Add("no node took over as leader");
            if (caughtUp > RecoveryLimit) failures.Add($"after the kill of {name} the async views took {caughtUp.TotalSeconds:0.0} s to take in what was appended after it (limit {RecoveryLimit.TotalSeconds:0} s)");
            nodeIds[victim] = await StartAsync(run, victim);
        }

        async Task Faults()
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(10));
                await KillAndRecover(leader: true);
                await Task.Delay(TimeSpan.FromSeconds(10));
                await KillAndRecover(leader: false);
                await Task.Delay(TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                // A node that would not start again: the clients stop, and the scenario says why it failed.
                failures.Add(e.Message);
            }
            finally
            {
                going = false;
            }
        }

        var gapsBefore = await GapsAsync(run.ConnectionString);
        await Task.WhenAll([.. Enumerable.Range(0, 4).Select(Deposits), .. Enumerable.Range(0, 2).Select(Orders), .. Enumerable.Range(0, 2).Select(Holds), Faults()]);
        var gaps = await GapsAsync(run.ConnectionString);

        var acknowledgedDeposits = deposits.Where(d => d.Value.Acknowledged).Select(d => d.Key).ToList();
        var acknowledgedOrders = orders.Where(o => o.Value.Acknowledged).Select(o => o.Key).ToList();
        var acknowledgedHolds = holds.Where(h => h.Succeeded).Select(h => JsonNode.Parse(h.Body)!["requestId"]!.GetValue<Guid>()).ToList();
        var depositCheck = LedgerCheck.Compare(acknowledgedDeposits, await LedgerCheck.CountByIdAsync(run.ConnectionString, community.Code, "service_recorded", "serviceId"));
        var orderCheck = LedgerCheck.Compare(acknowledgedOrders, await LedgerCheck.CountByIdAsync(run.ConnectionString, community.Code, "store_order_placed", "orderId"));
        var redeemedCheck = LedgerCheck.Compare(acknowledgedOrders, await LedgerCheck.CountByIdAsync(run.ConnectionString, community.Code, "points_redeemed", "orderId"));
        // A hold's id is the service's, so a hold applied twice would show as one whose answer no client holds.
        var heldInLedger = await LedgerCheck.CountByIdAsync(run.ConnectionString, community.Code, "time_savings_requested", "requestId");
        var holdCheck = LedgerCheck.Compare(acknowledgedHolds, heldInLedger);
        var holdsUnanswered = heldInLedger.Keys.Except(acknowledgedHolds).Count();
        if (holdsUnanswered > 0) failures.Add($"{holdsUnanswered} holds are in the ledger that no client was answered for");

        var outcomes = deposits.Values.Concat(orders.Values).Concat(holds).ToList();
        var unsettled = outcomes.Count(w => w.Status == 0);
        if (unsettled > 0) failures.Add($"{unsettled} writes never got an answer that settled them");
        var refused = outcomes.Where(w => w.Status >= 400 && !w.Acknowledged).GroupBy(w => w.Code).Select(g => $"{g.Key ?? "?"}: {g.Count()}").ToList();
        if (refused.Count > 0) failures.Add($"writes were refused: {string.Join(", ", refused)}");
        var equal = await Crash.ViewsEqualAfterReplayAsync(run, community.Code);
        if (!equal) failures.Add("the async views did not come to equal a full replay");

        var attempts = outcomes.SelectMany(w => w.Attempts).ToList();
        var recovered = string.Join("; ", recoveries.Select(r =>
            $"kill -9 of {r.Killed}: views moving again within {r.Views.TotalSeconds:0.0} s" + (r.Leader is { } l ? $" (new leader after {l.TotalSeconds:0.0} s)" : "")));
        return new ScenarioResult(
            "Two nodes: kill -9 of the leader, then of the other node",
            attempts.Count,
            "2 × kill -9 (leader, other node)",
            acknowledgedDeposits.Count + acknowledgedOrders.Count + acknowledgedHolds.Count,
            depositCheck.Found + orderCheck.Found + holdCheck.Found,
            depositCheck.Lost + orderCheck.Lost + redeemedCheck.Lost + holdCheck.Lost,
            depositCheck.Duplicated + orderCheck.Duplicated + redeemedCheck.Duplicated + holdCheck.Duplicated,
            attempts.Count(s => s >= 500),
            failures,
            $"{recovered}; {acknowledgedDeposits.Count:#,0} deposits, {acknowledgedOrders.Count:#,0} orders and {acknowledgedHolds.Count:#,0} holds acknowledged over both nodes; "
            + $"{attempts.Count(s => s == 0):#,0} attempts without an answer; sequence gaps left by the kills {gaps.Unused - gapsBefore.Unused}, filled by tombstones {gaps.Tombstones - gapsBefore.Tombstones}; views {(equal ? "equal" : "NOT equal")} to a replay");
    }

    /// <summary>Starts a node and answers its Wolverine node id: the one that was not there before.</summary>
    private static async Task<Guid> StartAsync(ChaosRun run, ServiceProcess node)
    {
        var before = await NodesAsync(run.ConnectionString, "true");
        await node.StartAsync(TimeSpan.FromSeconds(90));
        for (var wait = 0; wait < 300; wait++)
        {
            var added = (await NodesAsync(run.ConnectionString, "true")).Except(before).ToList();
            if (added.Count == 1) return added[0];
            await Task.Delay(100);
        }

        throw new InvalidOperationException($"The node on {node.BaseAddress} did not register with Wolverine.");
    }

    private static Task<List<Guid>> LiveNodesAsync(string connectionString) => NodesAsync(connectionString, "health_check > now() - interval '3 seconds'");

    private static async Task<List<Guid>> NodesAsync(string connectionString, string condition)
    {
        await using var connection = await OpenAsync(connectionString);
        await using var query = new NpgsqlCommand($"select id from {Schema}.wolverine_nodes where {condition}", connection);
        var ids = new List<Guid>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0));
        return ids;
    }

    /// <summary>The node Wolverine's leader agent runs on: it assigns every other agent, the async views among them.</summary>
    private static async Task<Guid?> LeaderAsync(string connectionString)
    {
        await using var connection = await OpenAsync(connectionString);
        await using var query = new NpgsqlCommand($"select node_id from {Schema}.wolverine_node_assignments where id = 'wolverine://leader/'", connection);
        return await query.ExecuteScalarAsync() as Guid?;
    }

    /// <summary>Sequence numbers drawn but with no event (left by writes that died or rolled back), and Marten's tombstones.</summary>
    private static async Task<(long Unused, long Tombstones)> GapsAsync(string connectionString) => (
        await ScalarAsync(connectionString, $"select (select last_value from {Schema}.mt_events_sequence) - count(*) from {Schema}.mt_events"),
        await ScalarAsync(connectionString, $"select count(*) from {Schema}.mt_events where type = 'tombstone'"));

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = await OpenAsync(connectionString);
        await using var query = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await query.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Hands each new client the next running node in turn, as a load balancer with health checks would.</summary>
    private sealed class Balancer(IReadOnlyList<ServiceProcess> nodes, string apiKey)
    {
        private int _next = -1;

        public HttpClient Next()
        {
            for (var tried = 0; tried < nodes.Count; tried++)
            {
                var node = nodes[(int)((uint)Interlocked.Increment(ref _next) % nodes.Count)];
                if (node.ProcessId is not null) return node.NewClient(apiKey);
            }

            return nodes[0].NewClient(apiKey);
        }
    }
}
