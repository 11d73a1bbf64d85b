using TimeBank.Harness;

namespace TimeBank.Bench.Measurements;

/// <summary>
/// An auditor's full replay (<c>POST /api/v1/audit/replays</c>), run by the service itself: every view folded
/// again from the whole log and compared with the live one.
/// </summary>
public static class Replay
{
    public sealed record Result(long Events, double ServiceSeconds, TimeSpan WallTime, bool Equal, long PeakResidentBytes)
    {
        public double EventsPerSecond => Events / WallTime.TotalSeconds;
    }

    /// <returns>The replay, or null when it did not finish within <paramref name="limit"/>.</returns>
    public static async Task<Result?> MeasureAsync(BenchRun run, TimeSpan limit)
    {
        var memory = run.Service.Memory;
        memory.ResetPeak();
        var started = DateTime.UtcNow;
        var community = run.Scale.ReplaysEverything ? null : run.CountyCommunity(1);
        if (await run.Ledger.ReplayAsync(community, limit) is not { } result)
        {
            run.Say($"replay: not finished after {limit.TotalMinutes:0} minutes");
            return null;
        }

        var outcome = new Result(result["events"]!.GetValue<long>(), result["seconds"]!.GetValue<double>(), DateTime.UtcNow - started, LedgerDriver.ViewsEqual(result), memory.PeakResidentBytes);
        run.Say($"replay: {BenchRun.Number(outcome.Events)} events in {outcome.WallTime.TotalSeconds:0.0} s, {BenchRun.Number(outcome.EventsPerSecond)} events/s, views {(outcome.Equal ? "equal" : "DIFFERENT")}");
        return outcome;
    }
}
