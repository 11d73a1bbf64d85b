using System.Globalization;
using System.Net;
using System.Text;
using TimeBank.Domain.Care;
using TimeBank.Domain.Elders;
using TimeBank.Domain.Reports;

namespace TimeBank.Api.Reports.Formats;

/// <summary>
/// The printable report: one self-contained HTML page (inline CSS, inline SVG charts, no script, no font or
/// image fetched from anywhere) laid out for A4 landscape, and well-formed as XML too, so any XML parser can
/// check it. Ids print as their last eight characters (time-ordered ids made the same day share their first
/// ones); the CSV and JSON carry them whole.
/// </summary>
public static class ReportPage
{
    private const int ChartWidth = 360;
    private const int ChartHeight = 200;

    public static string Render(QuarterlyReport report, ReportLanguage language)
    {
        string L(string zh, string en) => ReportTables.Label(language, zh, en);
        var title = L($"{report.CommunityName} {report.Quarter.Year}年第{report.Quarter.Number}季度时间银行结算报告", $"{report.CommunityName}: time bank settlement, {report.Quarter}");
        var tables = ReportTables.Of(report, language).ToDictionary(t => t.Name);
        var html = new StringBuilder(Head(title, language));
        html.Append(CultureInfo.InvariantCulture, $"<header>\n<h1>{E(title)}</h1>\n{Coverage(report, language)}</header>\n");
        html.Append(Overview(report, language, ""));
        string[] order = ["volunteers", "teams", "commendations", "elder-categories", "cadence", "elders-without-visit", "store", "adjustments", "volunteer-service-types"];
        foreach (var name in order) html.Append(Table(tables[name], L("无", "None")));
        html.Append(Foot(language));
        return html.ToString();
    }

    /// <summary>
    /// The county's page: its communities side by side, then each community's figures, charts, commendations
    /// and elders to follow up. Every table of every community is in the county's CSV and JSON.
    /// </summary>
    public static string Render(CountyReport report, ReportLanguage language)
    {
        string L(string zh, string en) => ReportTables.Label(language, zh, en);
        var title = L($"{report.County} {report.Quarter.Year}年第{report.Quarter.Number}季度时间银行结算汇总", $"{report.County}: time bank settlement, {report.Quarter}");
        var html = new StringBuilder(Head(title, language));
        html.Append(CultureInfo.InvariantCulture, $"<header>\n<h1>{E(title)}</h1>\n</header>\n");
        html.Append(Table(ReportTables.CountySummary(report, language), L("无", "None")));
        foreach (var community in report.Communities)
        {
            var tables = ReportTables.Of(community, language).ToDictionary(t => t.Name);
            var id = $"-{community.Community}";
            html.Append(CultureInfo.InvariantCulture, $"<section class=\"community\" id=\"community-{E(community.Community)}\">\n<h1>{E(community.CommunityName)} ({E(community.Community)})</h1>\n{Coverage(community, language)}");
            html.Append(Overview(community, language, id));
            foreach (var name in new[] { "commendations", "elders-without-visit" }) html.Append(Table(tables[name] with { Name = tables[name].Name + id }, L("无", "None")));
            html.Append("</section>\n");
        }

        html.Append(Foot(language));
        return html.ToString();
    }

    private static string Head(string title, ReportLanguage language) =>
        $"""
        <!DOCTYPE html>
        <html lang="{ReportTables.Label(language, "zh-CN", "en")}">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>{E(title)}</title>
        <style>{Style}</style>
        </head>
        <body>

        """;

    private static string Foot(ReportLanguage language) =>
        $"""
        <footer>{E(ReportTables.Label(language, "核对方法见 README 的“季度结算报告”一节：用 psql 重新计算事件摘要，相同即说明本报告出自当前账本。", "To check: recompute the event digest with psql as the README's quarterly reports section shows; a match means this report came from the ledger as it stands."))}</footer>
        </body>
        </html>

        """;

    private static string Coverage(QuarterlyReport report, ReportLanguage language)
    {
        string L(string zh, string en) => ReportTables.Label(language, zh, en);
        var c = report.Coverage;
        return string.Create(CultureInfo.InvariantCulture, $"""
            <p class="coverage">{E(L("本报告完全由以下事件生成", "Made from exactly these events"))}: {E(L("序号", "sequence"))} {c.FirstSequence}–{c.LastSequence}
            ({c.Events} {E(L("条", "events"))}), {E(c.FirstAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))} – {E(c.LastAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))} UTC.
            SHA-256: <code>{c.Digest}</code></p>

            """);
    }

    /// <summary>The key figures and the three charts of one community; <paramref name="idSuffix"/> keeps ids unique on a county's page.</summary>
    private static string Overview(QuarterlyReport report, ReportLanguage language, string idSuffix)
    {
        string L(string zh, string en) => ReportTables.Label(language, zh, en);
        var html = new StringBuilder(Figures(report, L));
        html.Append("<section class=\"charts\">\n");
        html.Append(Chart(L("月度服务时长（小时）", "Hours served by month"), "chart-hours" + idSuffix,
            report.MinutesByMonth.Select(m => (Label: L($"{m.Month}月", $"{m.Year:D4}-{m.Month:D2}"), Value: m.Minutes, Text: Hours(m.Minutes))).ToList()));
        html.Append(Chart(L("本季积分分布（人数）", "Points awarded (volunteers)"), "chart-points" + idSuffix,
            report.PointsDistribution.Select(b => (Label: ReportTables.BandName(b), Value: b.Volunteers, Text: ReportTables.N(b.Volunteers))).ToList()));
        html.Append(CadenceGrid(report, language, L("各类老人六个一落实率（%）", "The six ones kept by care category (%)"), "chart-cadence" + idSuffix));
        html.Append("</section>\n");
        return html.ToString();
    }

    private static string Figures(QuarterlyReport report, Func<string, string, string> l)
    {
        var t = report.Totals;
        (string Label, string Value)[] figures =
        [
            (l("服务过的志愿者", "Volunteers who served"), $"{t.VolunteersServing} / {t.VolunteersEnrolled}"),
            (l("受服务老人", "Elders served"), $"{t.EldersServed} / {t.EldersRegistered}"),
            (l("服务次数", "Services"), ReportTables.N(t.Services)),
            (l("服务时长", "Hours served"), Hours(t.MinutesServed)),
            (l("发放积分", "Points awarded"), ReportTables.N(t.PointsAwarded)),
            (l("兑换积分", "Points redeemed"), ReportTables.N(t.PointsRedeemed - t.PointsRestored)),
        ];
        var cells = string.Concat(figures.Select(f => $"<div class=\"figure\"><span class=\"value\">{E(f.Value)}</span><span class=\"label\">{E(f.Label)}</span></div>\n"));
        return $"<section class=\"figures\">\n{cells}</section>\n";
    }

    /// <summary>A bar chart as inline SVG: one bar per value, scaled to the largest, each labelled with its text.</summary>
    private static string Chart(string title, string id, IReadOnlyList<(string Label, int Value, string Text)> bars)
    {
        const int top = 24, bottom = 28, gap = 10;
        var max = Math.Max(1, bars.Select(b => b.Value).DefaultIfEmpty(0).Max());
        var width = (ChartWidth - (gap * (bars.Count + 1))) / Math.Max(1, bars.Count);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<figure id=\"{id}\"><figcaption>{E(title)}</figcaption>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {ChartWidth} {ChartHeight}\" width=\"{ChartWidth}\" height=\"{ChartHeight}\" role=\"img\" aria-label=\"{E(title)}\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"0\" y1=\"{ChartHeight - bottom}\" x2=\"{ChartWidth}\" y2=\"{ChartHeight - bottom}\" class=\"axis\"/>\n");
        for (var i = 0; i < bars.Count; i++)
        {
            var (label, value, text) = bars[i];
            var height = (int)((long)value * (ChartHeight - top - bottom) / max);
            var x = gap + (i * (width + gap));
            var y = ChartHeight - bottom - height;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{y}\" width=\"{width}\" height=\"{height}\" class=\"bar\"><title>{E(label)}: {E(text)}</title></rect>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + (width / 2)}\" y=\"{y - 6}\" class=\"value\">{E(text)}</text>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + (width / 2)}\" y=\"{ChartHeight - 10}\" class=\"label\">{E(label)}</text>\n");
        }

        svg.Append("</svg></figure>\n");
        return svg.ToString();
    }

    /// <summary>The share of periods kept, care category by rhythm, as a grid of shaded cells in inline SVG.</summary>
    private static string CadenceGrid(QuarterlyReport report, ReportLanguage language, string title, string id)
    {
        const int left = 92, top = 40, cellWidth = 48, cellHeight = 34;
        var categories = Enum.GetValues<CareCategory>();
        var width = left + (cellWidth * Rhythms.All.Count);
        var height = top + (cellHeight * categories.Length) + 4;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<figure id=\"{id}\"><figcaption>{E(title)}</figcaption>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"{E(title)}\">\n");
        for (var r = 0; r < Rhythms.All.Count; r++)
        {
            var name = ReportTables.RhythmName(Rhythms.All[r], language);
            var shortName = language == ReportLanguage.Zh ? name[..2] + name[^2..] : name.Split(' ')[0];
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + (r * cellWidth) + (cellWidth / 2)}\" y=\"{top - 12}\" class=\"label\"><title>{E(name)}</title>{E(shortName)}</text>\n");
        }

        for (var c = 0; c < categories.Length; c++)
        {
            var y = top + (c * cellHeight);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{y + (cellHeight / 2) + 4}\" class=\"row\">{E(ReportTables.CategoryName(categories[c], language))}</text>\n");
            for (var r = 0; r < Rhythms.All.Count; r++)
            {
                var kept = report.CadenceByCategory.First(k => k.Category == categories[c] && k.Rhythm == Rhythms.All[r]);
                var x = left + (r * cellWidth);
                var shade = kept.PercentKept is { } p ? $"shade-{Math.Min(4, p / 25)}" : "shade-none";
                var text = kept.PercentKept is { } percent ? percent.ToString(CultureInfo.InvariantCulture) : "-";
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x + 1}\" y=\"{y + 1}\" width=\"{cellWidth - 2}\" height=\"{cellHeight - 2}\" class=\"{shade}\"><title>{kept.PeriodsKept}/{kept.PeriodsOwed}</title></rect>\n");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + (cellWidth / 2)}\" y=\"{y + (cellHeight / 2) + 4}\" class=\"cell\">{text}</text>\n");
            }
        }

        svg.Append("</svg></figure>\n");
        return svg.ToString();
    }

    private static string Table(ReportTable table, string none)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<section class=\"table\" id=\"{table.Name}\">\n<h2>{E(table.Title)}</h2>\n");
        if (table.Rows.Count == 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"none\">{E(none)}</p>\n</section>\n");
            return html.ToString();
        }

        html.Append("<table>\n<thead><tr>");
        foreach (var header in table.Headers) html.Append(CultureInfo.InvariantCulture, $"<th>{E(header)}</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in table.Rows)
        {
            html.Append("<tr>");
            foreach (var cell in row)
            {
                var numeric = cell.Length > 0 && (char.IsAsciiDigit(cell[0]) || (cell[0] == '-' && cell.Length > 1)) && cell.All(ch => char.IsAsciiDigit(ch) || ch == '-');
                html.Append(Guid.TryParseExact(cell, "D", out _)
                    ? $"<td class=\"id\" title=\"{cell}\">…{cell[^8..]}</td>"
                    : numeric ? $"<td class=\"n\">{E(cell)}</td>" : $"<td>{E(cell)}</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n</section>\n");
        return html.ToString();
    }

    /// <summary>Minutes as hours and minutes ("12:05"): exact, with no fractions of an hour.</summary>
    private static string Hours(int minutes) => string.Create(CultureInfo.InvariantCulture, $"{minutes / 60}:{minutes % 60:D2}");

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private const string Style = """

        @page { size: A4 landscape; margin: 12mm; }
        * { box-sizing: border-box; }
        body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif; font-size: 9pt; color: #1b1b1b; margin: 0; padding: 8mm; }
        @media print { body { padding: 0; } }
        h1 { font-size: 16pt; margin: 0 0 2mm; }
        h2 { font-size: 11pt; margin: 5mm 0 2mm; border-bottom: 1px solid #8a1c1c; color: #8a1c1c; }
        .coverage { font-size: 8pt; color: #444; margin: 0 0 4mm; }
        .coverage code { font-size: 7pt; word-break: break-all; }
        .figures { display: flex; gap: 3mm; margin-bottom: 4mm; }
        .figure { flex: 1; border: 1px solid #ccc; border-radius: 2mm; padding: 2mm; text-align: center; }
        .figure .value { display: block; font-size: 14pt; font-weight: bold; }
        .figure .label { font-size: 8pt; color: #555; }
        .charts { display: flex; gap: 4mm; align-items: flex-start; break-inside: avoid; }
        figure { margin: 0; flex: 1; }
        figcaption { font-weight: bold; margin-bottom: 1mm; }
        svg { max-width: 100%; height: auto; }
        svg .bar { fill: #b8342f; }
        svg .axis { stroke: #666; stroke-width: 1; }
        svg text { font-size: 11px; text-anchor: middle; fill: #1b1b1b; }
        svg text.row { text-anchor: end; }
        svg .shade-none { fill: #eeeeee; }
        svg .shade-0 { fill: #f4d4d2; }
        svg .shade-1 { fill: #eaa8a4; }
        svg .shade-2 { fill: #dc7b75; }
        svg .shade-3 { fill: #c9514a; }
        svg .shade-4 { fill: #9e2a24; }
        table { border-collapse: collapse; width: 100%; font-size: 8pt; }
        thead { display: table-header-group; }
        tr { break-inside: avoid; }
        th, td { border: 1px solid #bbb; padding: 1mm 1.5mm; }
        th { background: #f3e9e8; font-weight: bold; }
        td.n { text-align: right; font-variant-numeric: tabular-nums; }
        td.id { font-family: monospace; color: #555; }
        .none { color: #777; }
        footer { margin-top: 6mm; font-size: 8pt; color: #555; }

        """;
}
