using System.Diagnostics;
using Npgsql;

namespace TimeBank.Bench.Measurements;

/// <summary>
/// The reads people wait for: the county's quarterly settlement report (every community's closed quarter) and
/// one community's overdue list (a view). The report is first made from the log (the kept reports are removed
/// before), then read as kept, several times; the median counts, as for the overdue list.
/// </summary>
public static class Reads
{
    public sealed record Result(TimeSpan CountyReportMade, TimeSpan CountyReport, long ReportBytes, TimeSpan OverdueList);

    public static async Task<Result> MeasureAsync(BenchRun run)
    {
        var (quarter, _) = run.Ledger.LastWholeQuarter();
        long bytes = 0;
        async Task ReadReport()
        {
            using var response = await run.Http.GetAsync($"/api/v1/counties/{run.County}/reports/quarterly/{quarter}?format=json");
            var body = await response.Content.ReadAsByteArrayAsync();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"The county report answered {(int)response.StatusCode}.");
            bytes = body.Length;
        }

        await ForgetKeptReportsAsync(run, quarter);
        var made = await MedianAsync(1, ReadReport);
        var report = await MedianAsync(run.Scale.Repeats, ReadReport);
        run.Say($"county report {quarter}: made from the log in {made.TotalSeconds:0.00} s, read as kept in {report.TotalSeconds:0.00} s ({bytes:#,0} bytes)");

        var overdue = await MedianAsync(run.Scale.Repeats * 5, async () =>
        {
            using var response = await run.Http.GetAsync($"/api/v1/communities/{run.CountyCommunity(1)}/care/overdue");
            await response.Content.ReadAsByteArrayAsync();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"The overdue list answered {(int)response.StatusCode}.");
        });
        run.Say($"overdue list: {overdue.TotalMilliseconds:0.0} ms");
        return new Result(made, report, bytes, overdue);
    }

    /// <summary>Removes the county's kept reports of the quarter, so that the next read makes them from the log again.</summary>
    private static async Task ForgetKeptReportsAsync(BenchRun run, string quarter)
    {
        await using var connection = new NpgsqlConnection(run.ConnectionString);
        await connection.OpenAsync();
        await using var forget = new NpgsqlCommand("delete from timebank.mt_doc_keptquarterlyreport where id = $1 and starts_with(tenant_id, $2)", connection)
        {
            Parameters = { new() { Value = quarter }, new() { Value = run.County } },
        };
        await forget.ExecuteNonQueryAsync();
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
