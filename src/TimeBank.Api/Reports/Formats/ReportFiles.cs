using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsvHelper;
using TimeBank.Domain.Reports;

namespace TimeBank.Api.Reports.Formats;

/// <summary>
/// The report's files. Each is a pure function of the report, with nothing of the moment it is made (no
/// "generated at", zip entries dated at the closing), so the same events give the same bytes.
/// </summary>
public static class ReportFiles
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static string BaseName(QuarterlyReport report) => $"{report.Community}-{report.Quarter}";

    public static string BaseName(CountyReport report) => $"{report.County}-{report.Quarter}";

    /// <summary>A report as JSON, as the API writes JSON (camelCase, kebab-case enums), indented, Chinese left readable.</summary>
    public static byte[] Json<TReport>(TReport report, JsonSerializerOptions apiJson)
    {
        var options = new JsonSerializerOptions(apiJson) { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        return Utf8.GetBytes(JsonSerializer.Serialize(report, options) + "\n");
    }

    /// <summary>
    /// One table as CSV (RFC 4180), UTF-8 with a byte order mark so that Excel shows Chinese correctly. A name
    /// that starts like a formula (=, +, @) is escaped so a spreadsheet shows it rather than runs it; a leading
    /// minus is left alone, since negative numbers (adjustments) start with it.
    /// </summary>
    public static byte[] Csv(ReportTable table)
    {
        using var bytes = new MemoryStream();
        var options = new CsvWriterOptions { WriteByteOrderMark = true, Injection = CsvInjection.Escape, InjectionCharacters = "=+@\t\r" };
        using (var csv = CsvWriter.Create(bytes, options, leaveOpen: true))
        {
            csv.WriteRecord([.. table.Headers]);
            foreach (var row in table.Rows) csv.WriteRecord([.. row]);
        }

        return bytes.ToArray();
    }

    /// <summary>Every table's CSV in one zip, entries in the report's order and dated at the quarter's closing.</summary>
    public static byte[] CsvZip(QuarterlyReport report, ReportLanguage language) =>
        Zip(report.ClosedAt, ReportTables.Of(report, language).Select(t => ($"{BaseName(report)}-{t.Name}.csv", t)));

    /// <summary>The county's summary, then every table of every community, dated at the county's last closing.</summary>
    public static byte[] CsvZip(CountyReport report, ReportLanguage language) =>
        Zip(report.Communities.Max(c => c.ClosedAt), new[] { ($"{BaseName(report)}-communities.csv", ReportTables.CountySummary(report, language)) }
            .Concat(report.Communities.SelectMany(c => ReportTables.Of(c, language).Select(t => ($"{BaseName(c)}-{t.Name}.csv", t)))));

    private static byte[] Zip(DateTimeOffset dated, IEnumerable<(string Name, ReportTable Table)> tables)
    {
        using var bytes = new MemoryStream();
        using (var zip = new ZipArchive(bytes, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, table) in tables)
            {
                var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                entry.LastWriteTime = dated;
                using var stream = entry.Open();
                stream.Write(Csv(table));
            }
        }

        return bytes.ToArray();
    }

    public static byte[] Html(QuarterlyReport report, ReportLanguage language) => Utf8.GetBytes(ReportPage.Render(report, language));

    public static byte[] Html(CountyReport report, ReportLanguage language) => Utf8.GetBytes(ReportPage.Render(report, language));

    /// <summary>Every file of a community's report: the JSON, the printable page and one CSV per table.</summary>
    public static IReadOnlyList<(string Name, byte[] Content)> All(QuarterlyReport report, ReportLanguage language, JsonSerializerOptions apiJson) =>
    [
        ($"{BaseName(report)}.json", Json(report, apiJson)),
        ($"{BaseName(report)}.html", Html(report, language)),
        .. ReportTables.Of(report, language).Select(t => ($"{BaseName(report)}-{t.Name}.csv", Csv(t))),
    ];

    /// <summary>Every file of a county's report: its JSON, page and table of communities, then each community's CSVs.</summary>
    public static IReadOnlyList<(string Name, byte[] Content)> All(CountyReport report, ReportLanguage language, JsonSerializerOptions apiJson) =>
    [
        ($"{BaseName(report)}.json", Json(report, apiJson)),
        ($"{BaseName(report)}.html", Html(report, language)),
        ($"{BaseName(report)}-communities.csv", Csv(ReportTables.CountySummary(report, language))),
        .. report.Communities.SelectMany(c => ReportTables.Of(c, language).Select(t => ($"{BaseName(c)}-{t.Name}.csv", Csv(t)))),
    ];

    public static async Task WriteAsync(IEnumerable<(string Name, byte[] Content)> files, string folder, CancellationToken cancellation)
    {
        Directory.CreateDirectory(folder);
        foreach (var (name, content) in files) await File.WriteAllBytesAsync(Path.Combine(folder, name), content, cancellation);
    }
}
