using Marten;
using Microsoft.Extensions.Options;
using TimeBank.Api.Infrastructure;
using TimeBank.Api.Infrastructure.Database;
using TimeBank.Api.Reports.Formats;
using TimeBank.Domain.Communities;

namespace TimeBank.Api.Reports;

/// <summary>
/// <c>report quarterly &lt;community&gt; &lt;2026Q1&gt;</c> and <c>report county-quarterly &lt;county&gt; &lt;2026Q1&gt;</c>
/// (with <c>[--out folder] [--lang zh|en]</c>) on the service's command line: write every file of a closed
/// quarter's report (JSON, the printable HTML page, one CSV per table) to a folder, read from the same events
/// as the API's.
/// </summary>
public static class ReportCommand
{
    public const string Usage = """
        report quarterly <community> <quarter, e.g. 2026Q1> [--out <folder>] [--lang zh|en]
        report county-quarterly <county> <quarter, e.g. 2026Q1> [--out <folder>] [--lang zh|en]
        """;

    public static async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        if (args is not [("quarterly" or "county-quarterly") and var kind, var place, var quarterText, .. var options] || CommandLine.Flags(options) is not { } flags)
        {
            return Fail(Usage);
        }

        if (!Quarter.TryParse(quarterText, out var quarter)) return Fail($"'{quarterText}' is not a quarter; write it as 2026Q1.{Environment.NewLine}{Usage}");
        if (!QuarterlyReportEndpoints.TryLanguage(flags.GetValueOrDefault("lang"), out var language)) return Fail($"--lang is zh or en.{Environment.NewLine}{Usage}");
        var folder = flags.GetValueOrDefault("out") ?? Path.Combine("reports", $"{place}-{quarter}");

        await DatabaseSchema.ApplyWhenOwnerGivenAsync(services.GetRequiredService<IConfiguration>(), CancellationToken.None);
        var store = services.GetRequiredService<IDocumentStore>();
        var json = services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        IReadOnlyList<(string Name, byte[] Content)> files;
        if (kind == "quarterly")
        {
            var (report, rejection) = await store.QuarterlyReportAsync(place, quarter, CancellationToken.None);
            if (rejection is not null) return Fail(rejection.Message);
            files = ReportFiles.All(report!, language, json);
            Console.WriteLine($"The {quarter} report of {place}: {report!.Coverage.Events} events, sequence {report.Coverage.FirstSequence}-{report.Coverage.LastSequence}, digest {report.Coverage.Digest}.");
        }
        else
        {
            var (report, rejection) = await store.CountyReportAsync(place, quarter, CancellationToken.None);
            if (rejection is not null) return Fail(rejection.Message);
            files = ReportFiles.All(report!, language, json);
            foreach (var c in report!.Communities) Console.WriteLine($"{c.Community}: {c.Coverage.Events} events, sequence {c.Coverage.FirstSequence}-{c.Coverage.LastSequence}, digest {c.Coverage.Digest}.");
        }

        await ReportFiles.WriteAsync(files, folder, CancellationToken.None);
        Console.WriteLine($"Wrote {files.Count} files to {folder}.");
        return 0;
    }

    private static int Fail(string message) => CommandLine.Fail(message);
}
