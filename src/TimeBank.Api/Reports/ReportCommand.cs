using Marten;
using Microsoft.Extensions.Options;
using TimeBank.Api.Infrastructure.Database;
using TimeBank.Api.Reports.Formats;
using TimeBank.Domain.Communities;

namespace TimeBank.Api.Reports;

/// <summary>
/// <c>report quarterly &lt;community&gt; &lt;2026Q1&gt; [--out folder] [--lang zh|en]</c> on the service's command
/// line: writes every file of a closed quarter's report (JSON, the printable HTML page, one CSV per table) to
/// a folder, read from the same events as the API's.
/// </summary>
public static class ReportCommand
{
    public const string Usage = "report quarterly <community> <quarter, e.g. 2026Q1> [--out <folder>] [--lang zh|en]";

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        if (args is not ["quarterly", var community, var quarterText, .. var options] || options.Length % 2 != 0) return Fail(Usage);
        var flags = Enumerable.Range(0, options.Length / 2).ToDictionary(i => options[2 * i].TrimStart('-'), i => options[(2 * i) + 1], StringComparer.Ordinal);
        if (!Quarter.TryParse(quarterText, out var quarter)) return Fail($"'{quarterText}' is not a quarter; write it as 2026Q1.{Environment.NewLine}{Usage}");
        if (!QuarterlyReportEndpoints.TryLanguage(flags.GetValueOrDefault("lang"), out var language)) return Fail($"--lang is zh or en.{Environment.NewLine}{Usage}");
        var folder = flags.GetValueOrDefault("out") ?? Path.Combine("reports", $"{community}-{quarter}");

        await DatabaseConnection.EnsureDatabaseExistsAsync(DatabaseConnection.Resolve(app.Configuration), CancellationToken.None);
        var store = app.Services.GetRequiredService<IDocumentStore>();
        var json = app.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var (report, rejection) = await store.QuarterlyReportAsync(community, quarter, CancellationToken.None);
        if (rejection is not null) return Fail(rejection.Message);

        var written = await ReportFiles.WriteAllAsync(report!, language, json, folder, CancellationToken.None);
        Console.WriteLine($"Wrote the {quarter} report of {community} ({report!.Coverage.Events} events, sequence {report.Coverage.FirstSequence}-{report.Coverage.LastSequence}, digest {report.Coverage.Digest}) to {folder}:");
        foreach (var file in written) Console.WriteLine($"  {file}");
        return 0;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 1;
    }
}
