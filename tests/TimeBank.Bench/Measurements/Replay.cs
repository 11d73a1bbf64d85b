using TimeBank.Harness;

namespace TimeBank.Bench.Measurements;

/// <summary>
/// An auditor's full replay (<c>POST /api/v1/audit/replays</c>), run by the service itself: every event copied
/// to a scratch schema, every view rebuilt there from nothing and compared with the live one.
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
        var accepted = await run.Ledger.PostAsync("/api/v1/audit/replays", new { community, recordedBy = LedgerDriver.Recorder });
        var id = accepted["id"]!.GetValue<Guid>();
        while (true)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250));
            var replay = await run.Ledger.GetAsync($"/api/v1/audit/replays/{id}");
            var status = replay["status"]!.GetValue<string>();
            if (status == "failed") throw new InvalidOperationException($"The replay failed: {replay["progress"]?.ToJsonString()}");
            if (status == "finished")
            {
                var result = replay["result"]!;
                var equal = result["views"]!.AsArray().All(v => v!["differences"]!.AsArray().Count == 0);
                var outcome = new Result(result["events"]!.GetValue<long>(), result["seconds"]!.GetValue<double>(), DateTime.UtcNow - started, equal, memory.PeakResidentBytes);
                run.Say($"replay: {BenchRun.Number(outcome.Events)} events in {outcome.WallTime.TotalSeconds:0.0} s, {BenchRun.Number(outcome.EventsPerSecond)} events/s, views {(equal ? "equal" : "DIFFERENT")}");
                return outcome;
            }

            if (DateTime.UtcNow - started > limit)
            {
                run.Say($"replay: not finished after {limit.TotalMinutes:0} minutes ({replay["progress"]?.AsArray().LastOrDefault()})");
                return null;
            }
        }
    }
}
