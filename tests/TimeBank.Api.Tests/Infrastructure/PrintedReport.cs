using System.Diagnostics;
using TimeBank.Domain.Services;
using TimeBank.Domain.Volunteers;

namespace TimeBank.Api.Tests.Infrastructure;

/// <summary>
/// A report page as a clerk prints it: Debian's Chromium prints the HTML to an A4 PDF (its own header and footer
/// off, so what is on the page is the report's), poppler's pdfinfo counts the pages and pdftotext reads each one.
/// The build installs chromium, fonts-noto-cjk and poppler-utils when they are missing.
/// </summary>
public sealed record PrintedReport(int PageCount, IReadOnlyList<string> Pages)
{
    public const string Chromium = "/usr/bin/chromium";

    public static async Task<PrintedReport> PrintAsync(string html)
    {
        var folder = Directory.CreateTempSubdirectory("timebank-print-");
        try
        {
            var page = Path.Combine(folder.FullName, "report.html");
            var pdf = Path.Combine(folder.FullName, "report.pdf");
            await File.WriteAllTextAsync(page, html);
            await RunAsync(Chromium, "--headless", "--no-sandbox", "--disable-gpu", $"--user-data-dir={Path.Combine(folder.FullName, "profile")}",
                "--no-pdf-header-footer", $"--print-to-pdf={pdf}", new Uri(page).AbsoluteUri);
            var info = await RunAsync("pdfinfo", pdf);
            var count = int.Parse(info.Split('\n').Single(l => l.StartsWith("Pages:", StringComparison.Ordinal))["Pages:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            // pdftotext ends each page with a form feed.
            var text = await RunAsync("pdftotext", "-enc", "UTF-8", pdf, "-");
            return new PrintedReport(count, text.Split('\f')[..^1]);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// What every printed Chinese report must show: page N of M on every page, the signature block on the last,
    /// no code of the catalogue or of a team, no time in UTC.
    /// </summary>
    public void AssertPrintedAsAClerkNeedsIt()
    {
        Assert.That(Pages, Has.Count.EqualTo(PageCount), "pdftotext reads as many pages as pdfinfo counts");
        // pdftotext leaves out the spaces between Chinese characters.
        var pages = Pages.Select(p => string.Concat(p.Where(c => !char.IsWhiteSpace(c)))).ToList();
        for (var i = 0; i < pages.Count; i++) Assert.That(pages[i], Does.Contain($"第{i + 1}页共{PageCount}页"), $"page {i + 1}");
        Assert.That(pages[^1], Does.Contain("制表人").And.Contain("审核人").And.Contain("盖章"), "the signature block is on the last page");
        string[] codes = [.. ServiceCatalogue.Default.Select(t => t.Code), .. VolunteerTeams.Default.Select(t => t.Code)];
        foreach (var (text, i) in pages.Select((p, i) => (p, i)))
        {
            Assert.That(codes.Where(text.Contains), Is.Empty, $"raw codes on page {i + 1}");
            Assert.That(text, Does.Not.Contain("UTC").And.Not.Contain("+00:00"), $"page {i + 1}");
        }

        Assert.That(pages[0], Does.Contain("+08:00"), "times in the community's zone, with the offset");
    }

    private static async Task<string> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.That(process.ExitCode, Is.Zero, $"{program}: {await errors}");
        return await output;
    }
}
