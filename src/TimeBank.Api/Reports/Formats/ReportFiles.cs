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

    /// <summary>The report as JSON, as the API writes JSON (camelCase, kebab-case enums), indented, Chinese left readable.</summary>
    public static byte[] Json(QuarterlyReport report, JsonSerializerOptions apiJson)
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
    public static byte[] CsvZip(QuarterlyReport report, ReportLanguage language)
    {
        using var bytes = new MemoryStream();
        using (var zip = new ZipArchive(bytes, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var table in ReportTables.Of(report, language))
            {
                var entry = zip.CreateEntry($"{BaseName(report)}-{table.Name}.csv", CompressionLevel.Optimal);
                entry.LastWriteTime = report.ClosedAt;
                using var stream = entry.Open();
                stream.Write(Csv(table));
            }
        }

        return bytes.ToArray();
    }

    public static byte[] Html(QuarterlyReport report, ReportLanguage language) => Utf8.GetBytes(ReportPage.Render(report, language));

    /// <summary>Writes every file of the report to a folder: the JSON, the printable page and one CSV per table.</summary>
    public static async Task<IReadOnlyList<string>> WriteAllAsync(QuarterlyReport report, ReportLanguage language, JsonSerializerOptions apiJson, string folder, CancellationToken cancellation)
    {
        Directory.CreateDirectory(folder);
        var files = new List<(string Name, byte[] Bytes)>
        {
            ($"{BaseName(report)}.json", Json(report, apiJson)),
            ($"{BaseName(report)}.html", Html(report, language)),
        };
        files.AddRange(ReportTables.Of(report, language).Select(t => ($"{BaseName(report)}-{t.Name}.csv", Csv(t))));
        foreach (var (name, content) in files) await File.WriteAllBytesAsync(Path.Combine(folder, name), content, cancellation);
        return files.Select(f => f.Name).ToList();
    }
}
