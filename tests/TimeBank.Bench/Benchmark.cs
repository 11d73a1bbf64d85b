using System.Globalization;
using Npgsql;
using TimeBank.Bench.Measurements;
using TimeBank.Harness;

namespace TimeBank.Bench;

/// <summary>Every measurement of the issue in one run, against the baseline measured first, as one markdown table.</summary>
public static class Benchmark
{
    private const double MiB = 1024 * 1024;

    /// <summary>Keeps the run bounded: a replay still going then is reported as not finished (the service stops with the run).</summary>
    private static readonly TimeSpan ReplayLimit = TimeSpan.FromMinutes(6);

    public sealed record Outcome(IReadOnlyList<Figure> Figures, string Markdown);

    public static async Task<Outcome> RunAsync(BenchRun run)
    {
        var events = await CountyDataSet.EnsureAsync(run, parallelLoads: 3);
        var figures = new List<Figure>();

        var baseline = await Baseline.MeasureAsync(run);
        var baselinePeak = baseline.Values.Max();
        foreach (var (clients, tps) in baseline)
        {
            figures.Add(new Figure($"Baseline: committed single-row inserts (pgbench), {clients} clients", tps, "rows/s", 1));
        }

        var raw = await RawAppend.MeasureAsync(run);
        foreach (var (clients, perSecond) in raw)
        {
            figures.Add(new Figure($"Raw Marten append, one event a transaction, {clients} clients", perSecond, "events/s", perSecond / baseline[clients]));
        }

        var deposits = await HttpDeposits.MeasureAsync(run);
        foreach (var (clients, load) in deposits.Closed)
        {
            figures.Add(new Figure($"HTTP single deposit, {clients} clients", load.SucceededPerSecond, "deposits/s", load.SucceededPerSecond / baseline[clients],
                Note: $"p50 {load.PercentileMilliseconds(50):0.0} ms, p95 {load.PercentileMilliseconds(95):0.0} ms, p99 {load.PercentileMilliseconds(99):0.0} ms; {load.StatusSummary}"));
        }

        var peak = deposits.Closed.Values.Max(l => l.SucceededPerSecond);
        // The target is set at 16 clients; a smaller run (the smoke test's) reports its largest count.
        var targetClients = deposits.Closed.ContainsKey(16) ? 16 : deposits.Closed.Keys.Max();
        var atTarget = deposits.Closed[targetClients].SucceededPerSecond / baseline[targetClients];
        figures.Add(new Figure($"HTTP single deposit at {targetClients} clients against the baseline's {targetClients}", deposits.Closed[targetClients].SucceededPerSecond, "deposits/s",
            atTarget, "ratio ≥ 0.10", atTarget >= 0.10, $"peak {BenchRun.Number(peak)}/s, {peak / baselinePeak:0.00} of the baseline's peak"));

        var half = deposits.AtHalfPeak;
        figures.Add(new Figure($"HTTP single deposit p99 at half the peak ({BenchRun.Number(peak / 2)}/s paced)", half.PercentileMilliseconds(99), "ms", null, "< 25 ms",
            half.PercentileMilliseconds(99) < 25, $"p50 {half.PercentileMilliseconds(50):0.0} ms; {half.StatusSummary}"));

        var cost = await DepositCost.MeasureAsync(run);
        figures.Add(new Figure("One deposit, volunteer with no services", cost.FreshMilliseconds, "ms", Note: $"median of {cost.Deposits / 2}, one at a time"));
        figures.Add(new Figure($"One deposit, volunteer with {run.Scale.HistoryServices:#,0} services", cost.HistoryMilliseconds, "ms", null, "≤ 1.3 × no services",
            cost.HistoryRatio <= 1.3, $"{cost.HistoryRatio:0.00} × no services; median of {cost.Deposits / 2}, taken in turns with the other"));
        figures.Add(new Figure("Round trips to PostgreSQL per deposit", cost.RoundTrips, "", null, "≤ 3", cost.RoundTrips <= 3,
            $"median of {cost.WireDeposits} deposits counted at the wire, each after the async views had taken in the one before (mean {cost.MeanRoundTrips:0.00}, "
            + $"the instance's periodic polls included); {cost.Statements:0} top-level statements, BEGIN and COMMIT included (mean {cost.MeanStatements:0.0})"));
        figures.Add(new Figure("Service CPU per deposit, one at a time", cost.CpuMilliseconds, "ms",
            Note: "user and system time of the instance's process over the timed deposits, its background work included"));
        if (cost.Server is { } server)
        {
            figures.Add(new Figure("PostgreSQL time per deposit (pg_stat_statements)", server.ExecutionMilliseconds + server.PlanningMilliseconds, "ms",
                Note: $"planning {server.PlanningMilliseconds:0.00} ms, {server.PlannedStatements:0.0} statements planned a deposit; every statement of the instance's database, its async views' included"));
        }

        var bulk = await BulkImport.MeasureAsync(run);
        figures.Add(new Figure($"Bulk import (services/batch, {run.Scale.BulkBatch:#,0} a call)", bulk.PerSecond, "services/s", bulk.PerSecond / baselinePeak, "ratio ≥ 0.50",
            bulk.PerSecond >= 0.5 * baselinePeak, $"{bulk.Recorded:#,0} services"));

        var redemptions = await Redemptions.MeasureAsync(run, bulk.Community);
        var nearestClients = baseline.Keys.OrderBy(c => Math.Abs(c - redemptions.Workers)).First();
        figures.Add(new Figure($"Redemptions, {redemptions.Workers} volunteers at one station", redemptions.SucceededPerSecond, "orders/s",
            redemptions.SucceededPerSecond / baseline[nearestClients], Note: $"p99 {redemptions.PercentileMilliseconds(99):0.0} ms; {redemptions.StatusSummary}"));

        var replay = await Replay.MeasureAsync(run, ReplayLimit);
        figures.Add(replay is null
            ? new Figure("Full replay of every view", double.NaN, "events/s", null, "≥ 50,000 events/s", false, $"did not finish within {ReplayLimit.TotalMinutes:0} minutes")
            : new Figure($"Full replay of every view ({replay.Events:#,0} events)", replay.EventsPerSecond, "events/s", replay.EventsPerSecond / baselinePeak, "≥ 50,000 events/s",
                replay.EventsPerSecond >= 50_000, replay.Equal ? "views equal to the live ones" : "**views differ from the live ones**"));

        var reads = await Reads.MeasureAsync(run);
        figures.Add(new Figure($"County quarterly report made from the log ({run.Scale.Communities} communities)", reads.CountyReportMade.TotalSeconds, "s", null, "", null,
            "first read after the closing: every community's log folded, then kept"));
        figures.Add(new Figure($"County quarterly report ({run.Scale.Communities} communities, JSON)", reads.CountyReport.TotalSeconds, "s", null, "< 5 s", reads.CountyReport.TotalSeconds < 5,
            $"read as kept, median of {run.Scale.Repeats}; {reads.ReportBytes / 1024.0:#,0} KiB"));
        figures.Add(new Figure("Overdue list of one community", reads.OverdueList.TotalMilliseconds, "ms", null, "< 200 ms", reads.OverdueList.TotalMilliseconds < 200,
            $"median of {run.Scale.Repeats * 5}"));

        figures.Add(new Figure("Peak RSS of the service during the HTTP deposits", deposits.PeakResidentBytes / MiB, "MiB", null, "< 400 MiB", deposits.PeakResidentBytes < 400 * MiB));
        var replayPeak = replay?.PeakResidentBytes ?? run.Service.Memory.PeakResidentBytes;
        figures.Add(new Figure("Peak RSS of the service during the replay", replayPeak / MiB, "MiB", null, "< 400 MiB", replayPeak < 400 * MiB, replay is null ? "until the limit" : ""));

        var table = new MarkdownTable("Figure", "Value", "Ratio to baseline", "Target", "Met", "Notes");
        foreach (var figure in figures) table.Add(figure.Cells());
        var markdown = $"""
            Benchmark of {DateTime.Now.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}, scale '{run.Scale.Name}': {await MachineAsync(run.ConnectionString)}.
            The ledger held {events:#,0} events before the run ({run.Scale.Communities} communities of the county '{run.County}', {run.Scale.Days} days each); each load level ran {run.Scale.Step.TotalSeconds:0} s, the HTTP deposits' after {deposits.WarmUpRounds.Count * run.Scale.WarmUp.Round.TotalSeconds:0} s of uncounted deposits, until they stopped rising ({string.Join(", ", deposits.WarmUpRounds.Select(BenchRun.Number))} deposits/s in rounds of {run.Scale.WarmUp.Round.TotalSeconds:0} s).

            {table}
            """;
        return new Outcome(figures, markdown);
    }

    private static async Task<string> MachineAsync(string connectionString)
    {
        var memory = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))["MemTotal:".Length..].Trim().Split(' ')[0];
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var version = new NpgsqlCommand("show server_version", connection);
        var postgres = ((string)(await version.ExecuteScalarAsync())!).Split(' ')[0];
        return $"{Environment.ProcessorCount} cores, {long.Parse(memory, CultureInfo.InvariantCulture) / MiB:0.0} GiB memory, PostgreSQL {postgres} on the same machine, .NET {Environment.Version}";
    }
}
