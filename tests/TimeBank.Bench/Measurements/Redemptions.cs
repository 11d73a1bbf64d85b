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
        var station = await run.PostAsync($"/api/v1/communities/{community.Code}/stations", new { name = "新时代文明实践站", recordedBy = BenchRun.Recorder });
        var stationId = station["stationId"]!.GetValue<Guid>();
        var items = new List<Guid>();
        foreach (var (name, unit) in new[] { ("肥皂", "块"), ("挂面", "袋"), ("洗衣粉", "袋") })
        {
            var added = await run.PostAsync($"/api/v1/communities/{community.Code}/stations/{stationId}/items",
                new { name, unit, pricePoints = 1, stock = 1_000_000, recordedBy = BenchRun.Recorder });
            items.Add(added["items"]!.AsArray().Select(i => i!["itemId"]!.GetValue<Guid>()).Except(items).Single());
        }

        var result = await LoadGenerator.RunAsync(community.People.Count, run.Scale.Step, async (worker, i) =>
        {
            var order = new
            {
                orderId = Guid.CreateVersion7(),
                volunteerId = community.People[worker].Volunteer,
                items = new[] { new { itemId = items[(worker + i) % items.Count], quantity = 1 } },
                recordedBy = BenchRun.Recorder,
            };
            using var response = await run.Http.PostAsJsonAsync($"/api/v1/communities/{community.Code}/stations/{stationId}/orders", order);
            return (int)response.StatusCode;
        });
        run.Say($"redemptions, {community.People.Count} volunteers at one station: {BenchRun.Number(result.SucceededPerSecond)}/s, p99 {result.PercentileMilliseconds(99):0.0} ms ({result.StatusSummary})");
        return result;
    }
}
