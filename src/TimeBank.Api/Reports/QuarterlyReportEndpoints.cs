using Marten;
using Microsoft.Extensions.Options;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.Partners;
using TimeBank.Api.Reports.Formats;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Partners;
using Wolverine.Http;

namespace TimeBank.Api.Reports;

public static class QuarterlyReportEndpoints
{
    private static readonly string[] Formats = ["json", "csv", "html"];

    /// <summary>
    /// The settlement report of a closed quarter, for the community office and auditors: <c>format=json</c>
    /// (default), <c>csv</c> (a zip of one CSV per table, or the one table named by <c>table</c>) or
    /// <c>html</c> (a printable page); <c>lang=zh</c> (default) or <c>en</c> labels CSV and HTML. The same
    /// events give the same bytes.
    /// </summary>
    [WolverineGet("/api/v1/communities/{community}/reports/quarterly/{quarter}", Name = "GetQuarterlyReport")]
    [ReportFormats(typeof(Domain.Reports.QuarterlyReport))]
    [RequiresRole(PartnerRole.Auditor)]
    [Tags("Reports")]
    public static async Task<IResult> Get(
        string community, string quarter, string? format, string? lang, string? table, IDocumentStore store, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken cancellation)
    {
        if (Refusal(quarter, format, lang, out var q, out var language) is { } refused) return refused;

        var (report, rejection) = await store.QuarterlyReportAsync(community, q, cancellation);
        if (rejection is not null) return ProblemResponses.From(rejection);
        return Answer(format, table, ReportFiles.BaseName(report!), ReportTables.Of(report!, language),
            () => ReportFiles.Json(report!, json.Value.SerializerOptions), () => ReportFiles.CsvZip(report!, language), () => ReportFiles.Html(report!, language));
    }

    /// <summary>
    /// The quarter of every community of a county, once all of them have closed it: the same formats, with a
    /// table of the communities side by side (<c>table=communities</c>) and each community's tables in the zip.
    /// </summary>
    [WolverineGet("/api/v1/counties/{county}/reports/quarterly/{quarter}", Name = "GetCountyQuarterlyReport")]
    [ReportFormats(typeof(Domain.Reports.CountyReport))]
    [RequiresRole(PartnerRole.Auditor)]
    [AllCommunities]
    [Tags("Reports")]
    public static async Task<IResult> GetForCounty(
        string county, string quarter, string? format, string? lang, string? table, IDocumentStore store, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken cancellation)
    {
        if (Refusal(quarter, format, lang, out var q, out var language) is { } refused) return refused;

        var (report, rejection) = await store.CountyReportAsync(county, q, cancellation);
        if (rejection is not null) return ProblemResponses.From(rejection);
        return Answer(format, table, ReportFiles.BaseName(report!), [ReportTables.CountySummary(report!, language)],
            () => ReportFiles.Json(report!, json.Value.SerializerOptions), () => ReportFiles.CsvZip(report!, language), () => ReportFiles.Html(report!, language));
    }

    /// <summary>Reads what both reports are asked with; the refusal naming the field that does not parse, or null.</summary>
    private static ProblemHttpResult? Refusal(string quarter, string? format, string? lang, out Quarter q, out ReportLanguage language)
    {
        language = default;
        if (!Quarter.TryParse(quarter, out q)) return ProblemResponses.QuarterNotValid();
        if (format is not null && !Formats.Contains(format)) return ProblemResponses.Validation("format", "Use json, csv or html.");
        return TryLanguage(lang, out language) ? null : ProblemResponses.Validation("lang", "Use zh or en.");
    }

    /// <summary>The report in the format asked for (JSON when none is named).</summary>
    private static IResult Answer(
        string? format, string? table, string name, IReadOnlyList<ReportTable> tables, Func<byte[]> json, Func<byte[]> zip, Func<byte[]> html)
    {
        switch (format)
        {
            case "html":
                return Results.Bytes(html(), "text/html; charset=utf-8");
            case "csv" when table is null:
                return Results.File(zip(), "application/zip", $"{name}-csv.zip");
            case "csv":
                if (tables.FirstOrDefault(t => t.Name == table) is not { } chosen)
                {
                    return ProblemResponses.Validation("table", $"Name one of: {string.Join(", ", tables.Select(t => t.Name))}.");
                }

                return Results.File(ReportFiles.Csv(chosen), "text/csv; charset=utf-8", $"{name}-{chosen.Name}.csv");
            default:
                return Results.Bytes(json(), "application/json; charset=utf-8");
        }
    }

    public static bool TryLanguage(string? text, out ReportLanguage language)
    {
        language = text switch
        {
            null or "zh" => ReportLanguage.Zh,
            "en" => ReportLanguage.En,
            _ => (ReportLanguage)(-1),
        };
        return Enum.IsDefined(language);
    }
}
