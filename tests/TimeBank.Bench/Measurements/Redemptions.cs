using System.Net.Http.Json;
using TimeBank.Harness;

namespace TimeBank.Bench.Measurements;

/// <summary>
/// The store's counter under contention: every volunteer of the community at once, exchanging a point for
/// one of three items at one station. Exchanges at a station queue on its stream's lock; a volunteer's own
/// exchanges are guarded by the version of their stream.
/// </summary>
public static class Redemptions
{
    public static async Task<LoadResult> MeasureAsync(BenchRun run, RunCommunity community)
    {
        var (stationId, items) = await run.Ledger.OpenStationAsync(community.Code, items: 3, stock: 1_000_000);

        var result = await LoadGenerator.RunAsync(community.People.Count, run.Scale.Step, async (worker, i) =>
        {
            var order = new
            {
                orderId = Guid.CreateVersion7(),
                volunteerId = community.People[worker].Volunteer,
                items = new[] { new { itemId = items[(worker + i) % items.Count], quantity = 1 } },
                recordedBy = LedgerDriver.Recorder,
            };
            using var response = await run.Http.PostAsJsonAsync($"/api/v1/communities/{community.Code}/stations/{stationId}/orders", order);
            return (int)response.StatusCode;
        });
        run.Say($"redemptions, {community.People.Count} volunteers at one station: {BenchRun.Number(result.SucceededPerSecond)}/s, p99 {result.PercentileMilliseconds(99):0.0} ms ({result.StatusSummary})");
        return result;
    }
}
