using System.ComponentModel;
using Marten;
using Microsoft.Extensions.Options;
using Spectre.Console.Cli;
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
    public sealed class ReportSettings : CommandSettings
    {
        [CommandArgument(0, "<PLACE>")]
        [Description("The community (quarterly) or county (county-quarterly) code")]
        public string Place { get; init; } = "";

        [CommandArgument(1, "<QUARTER>")]
        [Description("A closed quarter, e.g. 2026Q1")]
        public string Quarter { get; init; } = "";

        [CommandOption("--out <FOLDER>")]
        [Description("Where the files go (default reports/<place>-<quarter>)")]
        public string? Out { get; init; }

        [CommandOption("--lang <LANG>")]
        [Description("zh or en")]
        public string? Lang { get; init; }

        public override Spectre.Console.ValidationResult Validate() =>
            !Domain.Communities.Quarter.TryParse(Quarter, out _) ? Spectre.Console.ValidationResult.Error($"'{Quarter}' is not a quarter; write it as 2026Q1.")
            : !QuarterlyReportEndpoints.TryLanguage(Lang, out _) ? Spectre.Console.ValidationResult.Error("--lang is zh or en.")
            : Spectre.Console.ValidationResult.Success();
    }

    /// <summary>The report commands, parsed as on the service's command line (the tests call them so).</summary>
    public static Task<int> RunAsync(IServiceProvider services, string[] args) => CommandLine.RunAsync(["report", .. args], () => services);

    public static void Register(IConfigurator config, Lazy<IServiceProvider> host) =>
        config.AddBranch("report", report =>
        {
            report.SetDescription("A closed quarter's report files (JSON, printable HTML, CSV), written to a folder");
            report.AddAsyncDelegate<ReportSettings>("quarterly", (_, settings, _) => WriteAsync(host.Value, "quarterly", settings))
                .WithDescription("A community's quarterly report");
            report.AddAsyncDelegate<ReportSettings>("county-quarterly", (_, settings, _) => WriteAsync(host.Value, "county-quarterly", settings))
                .WithDescription("A county's quarterly report, every community in it");
        });

    private static async Task<int> WriteAsync(IServiceProvider services, string kind, ReportSettings settings)
    {
        Quarter.TryParse(settings.Quarter, out var quarter);
        QuarterlyReportEndpoints.TryLanguage(settings.Lang, out var language);
        var place = settings.Place;
        var folder = settings.Out ?? Path.Combine("reports", $"{place}-{quarter}");

        await DatabaseSchema.ApplyWhenOwnerGivenAsync(services.GetRequiredService<IConfiguration>(), CancellationToken.None);
        var store = services.GetRequiredService<IDocumentStore>();
        var json = services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        IReadOnlyList<(string Name, byte[] Content)> files;
        if (kind == "quarterly")
        {
            var (report, rejection) = await WorkProgress.RunAsync("Reading the ledger", null, _ => store.QuarterlyReportAsync(place, quarter, CancellationToken.None));
            if (rejection is not null) return Fail(rejection.Message);
            files = ReportFiles.All(report!, language, json);
            Console.WriteLine($"The {quarter} report of {place}: {report!.Coverage.Events} events, sequence {report.Coverage.FirstSequence}-{report.Coverage.LastSequence}, digest {report.Coverage.Digest}.");
        }
        else
        {
            var (report, rejection) = await WorkProgress.RunAsync("Reading the county's ledgers", null, _ => store.CountyReportAsync(place, quarter, CancellationToken.None));
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
