using System.Diagnostics;
using TimeBank.Harness;

namespace TimeBank.Bench.Measurements;

/// <summary>
/// A partner's nightly sync through <c>POST …/services/batch</c>: many services a call, one transaction a
/// call. The services fall in the last whole quarter, which is then closed, so that the community's
/// volunteers have points for the redemptions measured next.
/// </summary>
public static class BulkImport
{
    public sealed record Result(RunCommunity Community, long Recorded, TimeSpan Elapsed)
    {
        public double PerSecond => Recorded / Elapsed.TotalSeconds;
    }

    public static async Task<Result> MeasureAsync(BenchRun run)
    {
        var (quarter, firstDay) = run.Ledger.LastWholeQuarter();
        var community = await run.Ledger.NewCommunityAsync("bench-bulk", run.Scale.RedeemingClients, firstDay);
        var clock = Stopwatch.StartNew();
        var recorded = await run.Ledger.RecordGreetingsAsync(community, firstDay, run.Scale.BulkRecords / community.People.Count, run.Scale.BulkBatch);
        var elapsed = clock.Elapsed;
        run.Say($"bulk import: {BenchRun.Number(recorded)} services in {elapsed.TotalSeconds:0.0} s, {BenchRun.Number(recorded / elapsed.TotalSeconds)}/s");
        await run.Ledger.CloseQuarterAsync(community.Code, quarter, TimeSpan.FromMinutes(5));
        return new Result(community, recorded, elapsed);
    }
}
