using System.Diagnostics;

namespace TimeBank.Bench.Measurements;

/// <summary>
/// The reads people wait for: the county's quarterly settlement report (every community's closed quarter,
/// folded from the log) and one community's overdue list (a view). Each is read several times; the median counts.
/// </summary>
public static class Reads
{
    public sealed record Result(TimeSpan CountyReport, long ReportBytes, TimeSpan OverdueList);

    public static async Task<Result> MeasureAsync(BenchRun run)
    {
        var (quarter, _) = run.Ledger.LastWholeQuarter();
        long bytes = 0;
        var report = await MedianAsync(run.Scale.Repeats, async () =>
        {
            using var response = await run.Http.GetAsync($"/api/v1/counties/{run.County}/reports/quarterly/{quarter}?format=json");
            var body = await response.Content.ReadAsByteArrayAsync();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"The county report answered {(int)response.StatusCode}.");
            bytes = body.Length;
        });
        run.Say($"county report {quarter}: {report.TotalSeconds:0.00} s ({bytes:#,0} bytes)");

        var overdue = await MedianAsync(run.Scale.Repeats * 5, async () =>
        {
            using var response = await run.Http.GetAsync($"/api/v1/communities/{run.CountyCommunity(1)}/care/overdue");
            await response.Content.ReadAsByteArrayAsync();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"The overdue list answered {(int)response.StatusCode}.");
        });
        run.Say($"overdue list: {overdue.TotalMilliseconds:0.0} ms");
        return new Result(report, bytes, overdue);
    }

    private static async Task<TimeSpan> MedianAsync(int times, Func<Task> read)
    {
        var timings = new List<TimeSpan>();
        for (var i = 0; i < times; i++)
        {
            var clock = Stopwatch.StartNew();
            await read();
            timings.Add(clock.Elapsed);
        }

        return timings.Order().ElementAt(timings.Count / 2);
    }
}
