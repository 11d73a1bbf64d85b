using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

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
        var (quarter, firstDay) = run.LastWholeQuarter();
        var community = await run.NewCommunityAsync("bulk", run.Scale.RedeemingClients, firstDay);
        var perVolunteer = run.Scale.BulkRecords / community.People.Count;
        // Each volunteer's services in order from 06:00 on the quarter's first day, eleven minutes apart.
        var records = Enumerable.Range(0, perVolunteer)
            .SelectMany(i => community.People.Select(p => new
            {
                serviceId = Guid.CreateVersion7(),
                volunteerId = p.Volunteer,
                elderIds = new[] { p.Elder },
                serviceType = "greeting-call",
                startedAt = BenchRun.At(firstDay, 360 + (11 * i)),
                minutes = 10,
                recordedBy = BenchRun.Recorder,
            }))
            .ToList();

        long recorded = 0;
        var clock = Stopwatch.StartNew();
        foreach (var batch in records.Chunk(run.Scale.BulkBatch))
        {
            var response = await run.Http.PostAsJsonAsync($"/api/v1/communities/{community.Code}/services/batch", new { records = batch });
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"The batch answered {(int)response.StatusCode}: {text}");
            var taken = JsonNode.Parse(text)!["recorded"]!.GetValue<int>();
            if (taken != batch.Length) throw new InvalidOperationException($"The batch took {taken} of {batch.Length} services: {text[..Math.Min(text.Length, 500)]}");
            recorded += taken;
        }

        var elapsed = clock.Elapsed;
        run.Say($"bulk import: {BenchRun.Number(recorded)} services in {elapsed.TotalSeconds:0.0} s, {BenchRun.Number(recorded / elapsed.TotalSeconds)}/s");
        await run.CloseQuarterAsync(community.Code, quarter, TimeSpan.FromMinutes(5));
        return new Result(community, recorded, elapsed);
    }
}
