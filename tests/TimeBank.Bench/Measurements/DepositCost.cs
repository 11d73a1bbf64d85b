using System.Diagnostics;
using System.Net.Http.Json;
using Npgsql;
using TimeBank.Harness;

namespace TimeBank.Bench.Measurements;

/// <summary>
/// What one deposit costs, one at a time on a quiet instance of the service: its latency for a volunteer with no
/// services and for one with a long history (<see cref="BenchScale.HistoryServices"/>, eight hours apart), taken
/// in turns so that both see the same machine; the round trips and top-level statements it sends to PostgreSQL,
/// counted at the wire (<see cref="PostgresWire"/>); and PostgreSQL's own time for it, from pg_stat_statements
/// when the server loads it (the build's private clusters do); and the service's own CPU time for it. The instance runs on a database of its own
/// through the counting relay, so that nothing of the rest of the run passes the relay.
/// <para>
/// The round trips are counted in a pass of their own, each deposit sent once the instance's async views have
/// taken in the one before, so that what the relay counts while a deposit is in flight is the deposit's own.
/// </para>
/// </summary>
public static class DepositCost
{
    private const int HistorySpacingMinutes = 8 * 60;

    /// <summary>Deposits counted at the wire at the most: each waits about a second for the async views' next poll.</summary>
    private const int WireSamples = 100;

    public sealed record Result(
        int Deposits, double FreshMilliseconds, double HistoryMilliseconds, int WireDeposits, double RoundTrips, double MeanRoundTrips, double Statements, double MeanStatements,
        double CpuMilliseconds, ServerTime? Server)
    {
        public double HistoryRatio => HistoryMilliseconds / FreshMilliseconds;
    }

    /// <summary>PostgreSQL's time per deposit, and how many statements it planned per deposit.</summary>
    public sealed record ServerTime(double ExecutionMilliseconds, double PlanningMilliseconds, double PlannedStatements);

    public static async Task<Result> MeasureAsync(BenchRun run)
    {
        var server = new NpgsqlConnectionStringBuilder(run.ConnectionString);
        var database = new NpgsqlConnectionStringBuilder(run.ConnectionString) { Database = $"{server.Database}_deposit_cost" }.ConnectionString;
        await PostgresTools.DropDatabaseAsync(database);
        await using var wire = new PostgresWire(server.Host!, server.Port);
        wire.Start();
        await using var service = await run.Service.StartSeparateAsync(wire.Through(database));
        var ledger = new LedgerDriver(service.Client, run.Ledger.Now, run.Ledger.RunId);

        var samples = run.Scale.CostSamples;
        var enrolled = ledger.FiveYearsAgo;
        var community = await ledger.NewCommunityAsync("cost", samples + 1, enrolled);
        var longServing = community.People[0];
        await ledger.RecordGreetingsAsync(community with { People = [longServing] }, enrolled, run.Scale.HistoryServices, run.Scale.BulkBatch, HistorySpacingMinutes);
        var after = LedgerDriver.At(enrolled, 360 + (HistorySpacingMinutes * run.Scale.HistoryServices));

        // The first requests of an instance load its code and fill its pools: not part of the figures. They, and the
        // measured ones, keep the long-serving volunteer's rhythm, so the days around each deposit hold as many of
        // their services as any day of their history (a few), not the hundreds a burst minutes apart would.
        for (var i = 0; i < 20; i++) await DepositAsync(service.Client, community.Code, longServing, after.AddMinutes(HistorySpacingMinutes * i));
        after = after.AddMinutes(HistorySpacingMinutes * 20);

        // Timed back to back, as a partner sending one deposit after another would: latency, CPU, PostgreSQL's time.
        var statistics = await ServerStatistics.StartAsync(database);
        var cpuBefore = service.Process.CpuTime;
        List<double> fresh = [], history = [];
        for (var i = 0; i < samples; i++)
        {
            var at = after.AddMinutes(HistorySpacingMinutes * i);
            foreach (var (person, latencies) in new[] { (longServing, history), (community.People[i + 1], fresh) })
            {
                var clock = Stopwatch.StartNew();
                await DepositAsync(service.Client, community.Code, person, at);
                latencies.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        var deposits = 2 * samples;
        var cpu = (service.Process.CpuTime - cpuBefore).TotalMilliseconds / deposits;
        var serverTime = await statistics.PerDepositAsync(deposits);
        after = after.AddMinutes(HistorySpacingMinutes * samples);

        // Counted at the wire, each deposit once the instance's async views have taken in the one before (read on a
        // connection of its own that does not pass the relay): back to back, the views folding one deposit while the
        // next was in flight put 3.39 round trips on a path of 3. The instance's periodic work (node heartbeats, its
        // health and progress polls) still falls into a window now and then; the median is the deposit's own.
        List<double> trips = [], sent = [];
        for (var i = 0; i < Math.Min(samples, WireSamples); i++)
        {
            if (!await AsyncViews.CatchUpAsync(database, TimeSpan.FromSeconds(30))) throw new InvalidOperationException("The instance's async views did not take in a deposit within 30 s.");
            long tripsBefore = wire.RoundTrips, statementsBefore = wire.Statements;
            using (wire.Measure()) await DepositAsync(service.Client, community.Code, community.People[i + 1], after.AddMinutes(HistorySpacingMinutes * i));
            trips.Add(wire.RoundTrips - tripsBefore);
            sent.Add(wire.Statements - statementsBefore);
        }

        var result = new Result(deposits, Median(fresh), Median(history), trips.Count, Median([.. trips]), trips.Average(), Median([.. sent]), sent.Average(), cpu, serverTime);
        run.Say($"deposit cost: {result.FreshMilliseconds:0.00} ms with no services, {result.HistoryMilliseconds:0.00} ms with {run.Scale.HistoryServices:#,0}; "
            + $"{result.RoundTrips:0.##} round trips (mean {result.MeanRoundTrips:0.00}) and {result.Statements:0.##} statements (mean {result.MeanStatements:0.00}) a deposit");
        return result;
    }

    private static async Task DepositAsync(HttpClient http, string community, (Guid Volunteer, Guid Elder) person, DateTimeOffset startedAt)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/communities/{community}/services")
        {
            Content = JsonContent.Create(LedgerDriver.GreetingCall(Guid.CreateVersion7(), person, startedAt, 10)),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var response = await http.SendAsync(request);
        if ((int)response.StatusCode != 201) throw new InvalidOperationException($"A measured deposit answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
    }

    /// <summary>pg_stat_statements over the measured deposits: every statement of the database, the async views' included.</summary>
    private sealed class ServerStatistics
    {
        private readonly string? _database;

        private ServerStatistics(string? database) => _database = database;

        public static async Task<ServerStatistics> StartAsync(string database)
        {
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            await using var loaded = new NpgsqlCommand("select current_setting('shared_preload_libraries') like '%pg_stat_statements%'", connection);
            if (!(bool)(await loaded.ExecuteScalarAsync())!) return new ServerStatistics(null);
            await using var reset = new NpgsqlCommand("create extension if not exists pg_stat_statements; select pg_stat_statements_reset()", connection);
            await reset.ExecuteNonQueryAsync();
            return new ServerStatistics(database);
        }

        public async Task<ServerTime?> PerDepositAsync(int deposits)
        {
            if (_database is null) return null;
            await using var connection = new NpgsqlConnection(_database);
            await connection.OpenAsync();
            await using var read = new NpgsqlCommand(
                """
                select coalesce(sum(total_exec_time), 0), coalesce(sum(total_plan_time), 0), coalesce(sum(plans), 0)
                from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
                  and query not like '%pg_stat_statements%'
                """, connection);
            await using var reader = await read.ExecuteReaderAsync();
            await reader.ReadAsync();
            return new ServerTime(reader.GetDouble(0) / deposits, reader.GetDouble(1) / deposits, Convert.ToDouble(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture) / deposits);
        }
    }
}
