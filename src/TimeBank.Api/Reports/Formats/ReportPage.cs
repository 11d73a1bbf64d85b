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
/// check it. Printed from a browser, every page has a running header (community, quarter, closing time) and
/// footer (the events' digest, page N of M) from CSS <c>@page</c> margin boxes, and the last ends with the
/// signature block. People, teams and service types print by name, times in the community's zone with its
/// offset; ids and the long tables (each volunteer's service types) are left to the CSV and JSON.
/// </summary>
public static class ReportPage
{
    private const int ChartWidth = 360;
    private const int ChartHeight = 200;

    public static string Render(QuarterlyReport report, ReportLanguage language)
    {
        string L(string zh, string en) => ReportTables.Label(language, zh, en);
        var title = Title(report, language);
        var tables = ReportTables.Of(report, language).ToDictionary(t => t.Name);
        var closed = ReportTables.LocalTime(report, report.ClosedAt);
        var html = new StringBuilder(Head(title, language, RunningHead(report, language), L($"结算时间 {closed}", $"Closed {closed}"), Digest(report, language)));
        html.Append(CultureInfo.InvariantCulture, $"<header>\n<h1>{E(title)}</h1>\n{Period(report, language)}</header>\n");
        html.Append(Overview(report, language, ""));
        html.Append(Volunteers(report, language));
        html.Append(Table(tables["teams"], language));
        html.Append(Table(tables["commendations"], language));
        html.Append(Table(tables["service-types"], language, L("每位志愿者的分类服务时长见 CSV 的 volunteer-service-types 表。", "Each volunteer's minutes by service type are in the CSV's volunteer-service-types table.")));
        html.Append(Table(tables["elder-categories"], language));
        html.Append(Table(tables["cadence"], language));
        html.Append(Table(tables["elders-without-visit"], language));
        html.Append(Table(tables["store"], language));
        html.Append(Table(tables["adjustments"], language));
        html.Append(Coverage(report, language));
        html.Append(Signatures(language));
        html.Append(Foot(language));
        return html.ToString();
    }

    private static string Title(QuarterlyReport report, ReportLanguage language) => ReportTables.Label(language,
        $"{report.CommunityName} {report.Quarter.Year}年第{report.Quarter.Number}季度时间银行结算报告", $"{report.CommunityName}: time bank settlement, {report.Quarter}");

    private static string RunningHead(QuarterlyReport report, ReportLanguage language) => ReportTables.Label(language,
        $"{report.CommunityName} · {report.Quarter.Year}年第{report.Quarter.Number}季度结算报告", $"{report.CommunityName} · settlement {report.Quarter}");

    private static string Digest(QuarterlyReport report, ReportLanguage language) => ReportTables.Label(language,
        $"事件 {report.Coverage.FirstSequence}–{report.Coverage.LastSequence} · SHA-256 {report.Coverage.Digest[..16]}…",
        $"Events {report.Coverage.FirstSequence}–{report.Coverage.LastSequence} · SHA-256 {report.Coverage.Digest[..16]}…");

    private static string Period(QuarterlyReport report, ReportLanguage language)
    {
        string L(string zh, string en) => ReportTables.Label(language, zh, en);
        var closed = ReportTables.LocalTime(report, report.ClosedAt);
        var first = report.Quarter.FirstDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var last = report.Quarter.LastDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return $"<p class=\"period\">{E(L($"统计期间 {first} 至 {last}（{report.TimeZone}）· 结算时间 {closed}", $"Period {first} to {last} ({report.TimeZone}) · closed {closed}"))}</p>\n";
    }

    /// <summary>
    /// The county's page: its communities side by side, then each community's figures, charts, commendations
    /// and elders to follow up. Every table of every community is in the county's CSV and JSON.
    /// </summary>
    public static string Render(CountyReport report, ReportLanguage language)
    {
        string L(string zh, string en) => ReportTables.Label(language, zh, en);
        var title = L($"{report.County} {report.Quarter.Year}年第{report.Quarter.Number}季度时间银行结算汇总", $"{report.County}: time bank settlement, {report.Quarter}");
        var html = new StringBuilder(Head(title, language, title, "", ""));
        html.Append(CultureInfo.InvariantCulture, $"<header>\n<h1>{E(title)}</h1>\n</header>\n");
        html.Append(Table(ReportTables.CountySummary(report, language), language));
        foreach (var community in report.Communities)
        {
            var tables = ReportTables.Of(community, language).ToDictionary(t => t.Name);
            var id = $"-{community.Community}";
            html.Append(CultureInfo.InvariantCulture, $"<section class=\"community\" id=\"community-{E(community.Community)}\">\n<h1>{E(community.CommunityName)} ({E(community.Community)})</h1>\n{Period(community, language)}");
            html.Append(Overview(community, language, id));
            foreach (var name in new[] { "commendations", "elders-without-visit" }) html.Append(Table(tables[name] with { Name = tables[name].Name + id }, language));
            html.Append(Coverage(community, language));
            html.Append("</section>\n");
        }

        html.Append(Signatures(language));
        html.Append(Foot(language));
        return html.ToString();
    }

    /// <summary>The page's head: its title, and the running header and footer every printed page carries.</summary>
    private static string Head(string title, ReportLanguage language, string runningHead, string runningHeadRight, string runningFoot)
    {
        var pageOf = ReportTables.Label(language, "\"第 \" counter(page) \" 页 共 \" counter(pages) \" 页\"", "\"Page \" counter(page) \" of \" counter(pages)");
        var page = $$"""
            @page {
              size: A4 landscape;
              margin: 15mm 10mm 13mm;
              @top-left { content: {{CssString(runningHead)}}; font-size: 8pt; color: #555; }
              @top-right { content: {{CssString(runningHeadRight)}}; font-size: 8pt; color: #555; }
              @bottom-left { content: {{CssString(runningFoot)}}; font-size: 7pt; color: #777; }
              @bottom-right { content: {{pageOf}}; font-size: 8pt; color: #555; }
            }
            """;
        return $"""
            <!DOCTYPE html>
            <html lang="{ReportTables.Label(language, "zh-CN", "en")}">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>{E(title)}</title>
            <style>
            {page}
            {Style}</style>
            </head>
            <body>

            """;
    }

    private static string Foot(ReportLanguage language) =>
        $"""
        <footer>{E(ReportTables.Label(language, "核对方法见 README 的“季度结算报告”一节：用 psql 重新计算事件摘要，相同即说明本报告出自当前账本。", "To check: recompute the event digest with psql as the README's quarterly reports section shows; a match means this report came from the ledger as it stands."))}</footer>
        </body>
        </html>

        """;

    /// <summary>The events the report was made from, their range in the community's time and their digest.</summary>
    private static string Coverage(QuarterlyReport report, ReportLanguage language)
    {
        string L(string zh, string en) => ReportTables.Label(language, zh, en);
        var c = report.Coverage;
        return string.Create(CultureInfo.InvariantCulture, $"""
            <p class="coverage">{E(L("本报告完全由以下事件生成", "Made from exactly these events"))}: {E(L("序号", "sequence"))} {c.FirstSequence}–{c.LastSequence}
            ({Number(c.Events)} {E(L("条", "events"))}), {E(ReportTables.LocalTime(report, c.FirstAt))} – {E(ReportTables.LocalTime(report, c.LastAt))}.
            SHA-256: <code>{c.Digest}</code></p>

            """);
    }

    /// <summary>Who made the settlement and who checked it, and the community's stamp: signed on the printed copy.</summary>
    private static string Signatures(ReportLanguage language)
    {
        string L(string zh, string en) => ReportTables.Label(language, zh, en);
        return $"""
            <section class="signatures" id="signatures">
            <table class="sign"><tr><th>{E(L("制表人", "Prepared by"))}</th><td></td><th>{E(L("审核人", "Checked by"))}</th><td></td><th>{E(L("日期", "Date"))}</th><td></td></tr></table>
            <div class="stamp">{E(L("盖章", "Stamp"))}</div>
            </section>

            """;
    }

    /// <summary>Text as a CSS string: quoted, with backslashes, quotes and anything that could close the style element escaped.</summary>
    private static string CssString(string text)
    {
        var css = new StringBuilder("\"");
        foreach (var ch in text)
        {
            if (ch is '"' or '\\' or '<' or '>' or '&' || char.IsControl(ch)) css.Append(CultureInfo.InvariantCulture, $"\\{(int)ch:X} ");
            else css.Append(ch);
        }

        return css.Append('"').ToString();
    }

    /// <summary>The key figures and the three charts of one community; <paramref name="idSuffix"/> keeps ids unique on a county's page.</summary>
    private static string Overview(QuarterlyReport report, ReportLanguage language, string idSuffix)
    {
        string L(string zh, string en) => ReportTables.Label(language, zh, en);
        var html = new StringBuilder(Figures(report, language));
        html.Append("<section class=\"charts\">\n");
        html.Append(Chart(L("月度服务时长（小时）", "Hours served by month"), "chart-hours" + idSuffix,
            report.MinutesByMonth.Select(m => (Label: L($"{m.Month}月", $"{m.Year:D4}-{m.Month:D2}"), Value: m.Minutes, Text: Hours(m.Minutes, language))).ToList()));
        html.Append(Chart(L("本季积分分布（人数）", "Points awarded (volunteers)"), "chart-points" + idSuffix,
            report.PointsDistribution.Select(b => (Label: ReportTables.BandName(b), Value: b.Volunteers, Text: Number(b.Volunteers))).ToList()));
        html.Append(CadenceGrid(report, language, L("各类老人六个一落实率（%）", "The six ones kept by care category (%)"), "chart-cadence" + idSuffix));
        html.Append("</section>\n");
        return html.ToString();
    }

    private static string Figures(QuarterlyReport report, ReportLanguage language)
    {
        string l(string zh, string en) => ReportTables.Label(language, zh, en);
        var t = report.Totals;
        (string Label, string Value)[] figures =
        [
            (l("服务过的志愿者", "Volunteers who served"), $"{Number(t.VolunteersServing)} / {Number(t.VolunteersEnrolled)}"),
            (l("受服务老人", "Elders served"), $"{Number(t.EldersServed)} / {Number(t.EldersRegistered)}"),
            (l("服务次数", "Services"), Number(t.Services)),
            (l("服务时长", "Hours served"), Hours(t.MinutesServed, language)),
            (l("发放积分", "Points awarded"), Number(t.PointsAwarded)),
            (l("兑换积分（扣除退回）", "Points redeemed (less restored)"), Number(t.PointsRedeemed - t.PointsRestored)),
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

    /// <summary>
    /// One of the smaller tables as printed: ids are left to the CSV (a column holding only ids is not printed),
    /// numbers are right-aligned with digits grouped, and so is the "-" of a share with nothing owed.
    /// </summary>
    private static string Table(ReportTable table, ReportLanguage language, string? note = null)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<section class=\"table\" id=\"{table.Name}\">\n<h2>{E(table.Title)}</h2>\n");
        if (table.Rows.Count == 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"none\">{E(ReportTables.Label(language, "无", "None"))}</p>\n</section>\n");
            return html.ToString();
        }

        var printed = Enumerable.Range(0, table.Headers.Count)
            .Where(c => !table.Rows.All(row => row[c].Length == 0 || Guid.TryParseExact(row[c], "D", out _)))
            .ToList();
        html.Append("<table>\n<thead><tr>");
        foreach (var c in printed) html.Append(CultureInfo.InvariantCulture, $"<th>{E(table.Headers[c])}</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in table.Rows)
        {
            html.Append("<tr>");
            foreach (var c in printed) html.Append(Cell(row[c]));
            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
        if (note is not null) html.Append(CultureInfo.InvariantCulture, $"<p class=\"note\">{E(note)}</p>\n");
        html.Append("</section>\n");
        return html.ToString();
    }

    /// <summary>A cell: a whole number right-aligned with its digits grouped, a share's "-" right-aligned too, text as it is.</summary>
    private static string Cell(string text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? $"<td class=\"n\">{Number(number)}</td>"
        : text == "-" ? "<td class=\"n\">-</td>"
        : $"<td>{E(text)}</td>";

    /// <summary>A column of the printed volunteer table: its group, its head, and its figure for one volunteer.</summary>
    private sealed record Column(string Group, string Head, Func<VolunteerSettlement, string> Cell, Func<VolunteerSettlement, int>? Figure = null, bool Optional = false, bool Text = false);

    /// <summary>
    /// Every volunteer on one row that fits A4 landscape: who, what they served, and the quarter's books of
    /// points and minutes, from what was brought forward to what is carried forward, with the balance at the
    /// closing moment labelled as such. A column that is zero for everyone is left out (the note names it; the
    /// CSV has it); the last row adds the columns up.
    /// </summary>
    private static string Volunteers(QuarterlyReport report, ReportLanguage language)
    {
        string L(string zh, string en) => ReportTables.Label(language, zh, en);
        string who = L("志愿者", "Volunteer"), points = L("积分", "Points"), minutes = L("时间储蓄（分钟）", "Time savings (minutes)");
        Column Figure(string group, string head, Func<VolunteerSettlement, int> figure, bool optional = false) => new(group, head, v => Number(figure(v)), figure, optional);
        Column[] all =
        [
            new(who, L("姓名", "Name"), v => v.Name ?? L("（已删除）", "(erased)"), Text: true),
            new(who, L("服务队", "Team"), v => ReportTables.TeamName(v.Team, language), Text: true),
            Figure(who, L("服务次数", "Services"), v => v.Services),
            new(who, L("服务时长", "Time served"), v => Hours(v.MinutesServed, language)),
            Figure(who, L("已确认", "Confirmed"), v => v.Confirmed),
            Figure(who, L("有异议", "Disputed"), v => v.Disputed, optional: true),
            Figure(who, L("已冲正", "Reversed"), v => v.Reversed, optional: true),
            Figure(points, L("上季结转", "Brought forward"), v => v.PointsBroughtForward),
            Figure(points, L("本季发放", "Awarded"), v => v.PointsAwarded),
            Figure(points, L("兑换", "Redeemed"), v => v.PointsRedeemed),
            Figure(points, L("退回", "Restored"), v => v.PointsRestored, optional: true),
            Figure(points, L("过期", "Expired"), v => v.PointsExpired, optional: true),
            Figure(points, L("转入", "Moved in"), v => v.PointsTransferredIn, optional: true),
            Figure(points, L("转出", "Moved out"), v => v.PointsTransferredOut, optional: true),
            Figure(points, L("本季结转", "Carried forward"), v => v.PointsCarriedForward),
            Figure(points, L("结算时余额", "At the closing"), v => v.PointsBalance),
            Figure(minutes, L("上季结转", "Brought forward"), v => v.MinutesBroughtForward),
            Figure(minutes, L("本季入账", "Banked"), v => v.MinutesBanked),
            Figure(minutes, L("支取", "Spent"), v => v.TimeSavingsSpent, optional: true),
            Figure(minutes, L("转赠", "Given"), v => v.MinutesGiven, optional: true),
            Figure(minutes, L("受赠", "Received"), v => v.MinutesReceived, optional: true),
            Figure(minutes, L("转入", "Moved in"), v => v.MinutesTransferredIn, optional: true),
            Figure(minutes, L("转出", "Moved out"), v => v.MinutesTransferredOut, optional: true),
            Figure(minutes, L("本季结转", "Carried forward"), v => v.MinutesCarriedForward),
            Figure(minutes, L("结算时余额", "At the closing"), v => v.MinutesBalance),
        ];
        var columns = all.Where(c => !c.Optional || report.Volunteers.Any(v => c.Figure!(v) != 0)).ToList();
        var left = all.Where(c => !columns.Contains(c)).Select(c => $"{c.Group}·{c.Head}").ToList();

        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<section class=\"table\" id=\"volunteers\">\n<h2>{E(L("志愿者结算", "Volunteers"))}</h2>\n");
        if (report.Volunteers.Count == 0) return html.Append(CultureInfo.InvariantCulture, $"<p class=\"none\">{E(L("无", "None"))}</p>\n</section>\n").ToString();

        html.Append("<table class=\"volunteers\">\n<thead><tr>");
        foreach (var group in columns.GroupBy(c => c.Group)) html.Append(CultureInfo.InvariantCulture, $"<th colspan=\"{group.Count()}\" class=\"group\">{E(group.Key)}</th>");
        html.Append("</tr>\n<tr>");
        foreach (var c in columns) html.Append(CultureInfo.InvariantCulture, $"<th>{E(c.Head)}</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var v in report.Volunteers)
        {
            html.Append("<tr>");
            foreach (var c in columns) html.Append(CultureInfo.InvariantCulture, $"<td class=\"{(c.Text ? "name" : "n")}\">{E(c.Cell(v))}</td>");
            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n<tfoot><tr>");
        foreach (var c in columns)
        {
            var total = c == columns[0] ? L("合计", "Total")
                : c.Text ? ""
                : c.Figure is { } figure ? Number(report.Volunteers.Sum(figure))
                : Hours(report.Volunteers.Sum(v => v.MinutesServed), language);
            html.Append(CultureInfo.InvariantCulture, $"<td class=\"{(c.Text ? "name" : "n")}\">{E(total)}</td>");
        }

        html.Append("</tr></tfoot>\n</table>\n");
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"note\">{E(L(
            "本季结转 = 上季结转 + 本季发放 − 兑换 + 退回 − 过期 + 转入 − 转出（时间储蓄：上季结转 + 本季入账 − 支取 − 转赠 + 受赠 + 转入 − 转出）：按季度记账，与下一季的“上季结转”相同。兑换、退回、支取等按发生之日计入季度；本季入账为本季服务的入账分钟，加上本季结算收入的补记与冲正。“结算时余额”是结算那一刻的余额，另含季末至结算之间的变动（如季度结束后、结算前的兑换），因此可能与本季结转不同。",
            "Carried forward = brought forward + awarded − redeemed + restored − expired + moved in − moved out (time savings: brought forward + banked − spent − given + received + moved in − moved out): the quarter's books, brought forward by the next quarter. Redemptions, restorations and spending count on the day they happened; banked is the minutes of the quarter's services, with the late records and reversals this closing took in. \"At the closing\" is the balance at the moment of the closing, which also holds what happened between the quarter's end and its closing (an exchange after the quarter ended), so it can differ from what is carried forward."))}</p>\n");
        if (left.Count > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"note\">{E(L($"全体为零、未印出的列：{string.Join("、", left)}（见 CSV）。", $"Columns zero for everyone, not printed: {string.Join(", ", left)} (in the CSV)."))}</p>\n");
        }

        return html.Append("</section>\n").ToString();
    }

    /// <summary>Minutes as hours and minutes, exact and unmistakable for a clock time: "1,842 小时 30 分", "1,842 h 30 min".</summary>
    internal static string Hours(int minutes, ReportLanguage language)
    {
        var (hours, rest) = (Math.DivRem(minutes, 60).Quotient, Math.Abs(minutes % 60));
        return (hours, rest, language) switch
        {
            (0, _, ReportLanguage.Zh) when minutes >= 0 => $"{rest} 分",
            (0, _, _) when minutes >= 0 => $"{rest} min",
            (_, 0, ReportLanguage.Zh) => $"{Number(hours)} 小时",
            (_, 0, _) => $"{Number(hours)} h",
            (_, _, ReportLanguage.Zh) => $"{Number(hours)} 小时 {rest} 分",
            _ => $"{Number(hours)} h {rest} min",
        };
    }

    /// <summary>A whole number with its digits grouped by thousands ("1,842"), as the printed page shows numbers.</summary>
    private static string Number(int value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private const string Style = """

        * { box-sizing: border-box; }
        body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif; font-size: 8.5pt; color: #1b1b1b; margin: 0; padding: 8mm; }
        @media print { body { padding: 0; } }
        h1 { font-size: 15pt; margin: 0 0 1.5mm; }
        h2 { font-size: 10.5pt; margin: 4mm 0 1.5mm; border-bottom: 1px solid #8a1c1c; color: #8a1c1c; break-after: avoid; }
        .period { margin: 0 0 3mm; color: #333; }
        .coverage { font-size: 7.5pt; color: #444; margin: 4mm 0 0; }
        .coverage code { font-size: 7pt; word-break: break-all; }
        .figures { display: flex; gap: 3mm; margin-bottom: 3mm; }
        .figure { flex: 1; border: 1px solid #ccc; border-radius: 2mm; padding: 1.5mm; text-align: center; }
        .figure .value { display: block; font-size: 13pt; font-weight: bold; white-space: nowrap; }
        .figure .label { font-size: 8pt; color: #555; }
        .charts { display: flex; gap: 4mm; align-items: flex-start; break-inside: avoid; }
        figure { margin: 0; flex: 1; }
        figcaption { font-weight: bold; margin-bottom: 1mm; }
        svg { max-width: 100%; height: auto; max-height: 52mm; }
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
        table { border-collapse: collapse; font-size: 8pt; }
        thead { display: table-header-group; }
        tfoot { display: table-row-group; }
        tr { break-inside: avoid; }
        th, td { border: 1px solid #bbb; padding: 0.5mm 1.5mm; }
        th { background: #f3e9e8; font-weight: bold; white-space: nowrap; }
        th.group { text-align: center; }
        td { white-space: nowrap; }
        td.n { text-align: right; font-variant-numeric: tabular-nums; }
        table.volunteers { width: 100%; font-size: 7.5pt; }
        table.volunteers td, table.volunteers th { padding: 0.35mm 1.2mm; }
        tfoot td { font-weight: bold; background: #faf5f5; }
        .note { font-size: 7.5pt; color: #444; margin: 1mm 0 0; }
        .none { color: #777; margin: 0; }
        section.table { break-inside: auto; }
        .signatures { margin-top: 8mm; break-inside: avoid; display: flex; align-items: flex-end; gap: 10mm; }
        table.sign { border: none; font-size: 10pt; flex: 1; }
        table.sign th, table.sign td { border: none; background: none; padding: 0 2mm 1mm; }
        table.sign td { border-bottom: 1px solid #333; width: 45mm; height: 12mm; }
        .stamp { width: 32mm; height: 32mm; border: 1px dashed #8a1c1c; border-radius: 50%; color: #8a1c1c; display: flex; align-items: center; justify-content: center; font-size: 10pt; }
        footer { margin-top: 4mm; font-size: 7.5pt; color: #555; }

        """;
}
