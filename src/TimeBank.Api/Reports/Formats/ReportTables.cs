using System.Globalization;
using TimeBank.Domain.Care;
using TimeBank.Domain.Elders;
using TimeBank.Domain.Reports;
using TimeBank.Domain.Services;
using TimeBank.Domain.Volunteers;

namespace TimeBank.Api.Reports.Formats;

/// <summary>The language a report is labelled in: Chinese for the community office, English on request.</summary>
public enum ReportLanguage
{
    Zh,
    En,
}

/// <summary>One table of the report: its file name, title, column heads and cells, as CSV and HTML both show it.</summary>
public sealed record ReportTable(string Name, string Title, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>
/// The report laid out as tables: the CSV files, and the printable page's smaller tables. Minutes and points
/// are the whole numbers they are; a share is whole percent, or "-" when nothing was owed. Teams and service
/// types are named in the report's language (a community's own team by its code, its own service type by its
/// Chinese name); times are the community's, with their offset.
/// </summary>
public static class ReportTables
{
    public static string Label(ReportLanguage language, string zh, string en) => language == ReportLanguage.Zh ? zh : en;

    public static IReadOnlyList<ReportTable> Of(QuarterlyReport report, ReportLanguage language)
    {
        string L(string zh, string en) => Label(language, zh, en);
        string P(int? percent) => percent is { } p ? N(p) : "-";
        string Id(Guid id) => id.ToString();
        string Category(CareCategory c) => CategoryName(c, language);
        string Rhythm(Rhythm r) => RhythmName(r, language);
        string Team(string code) => TeamName(code, language);
        string Type(string code) => ServiceTypeName(report, code, language);
        string Time(DateTimeOffset at) => LocalTime(report, at);

        var t = report.Totals;
        var c = report.Coverage;
        return
        [
            new("summary", L("结算概要", "Summary"), [L("项目", "Item"), L("数值", "Value")],
            [
                [L("社区", "Community"), $"{report.CommunityName} ({report.Community})"],
                [L("季度", "Quarter"), report.Quarter.ToString()],
                [L("统计期间", "Period"), $"{report.Quarter.FirstDay:yyyy-MM-dd} – {report.Quarter.LastDay:yyyy-MM-dd} ({report.TimeZone})"],
                [L("结算时间", "Closed at"), Time(report.ClosedAt)],
                [L("事件序号范围", "Event sequence range"), $"{c.FirstSequence}-{c.LastSequence}"],
                [L("事件数", "Events"), N(c.Events)],
                [L("事件时间范围", "Event time range"), $"{Time(c.FirstAt)} – {Time(c.LastAt)}"],
                [L("事件摘要 (SHA-256)", "Event digest (SHA-256)"), c.Digest],
                [L("在册志愿者", "Volunteers enrolled"), N(t.VolunteersEnrolled)],
                [L("服务过的志愿者", "Volunteers who served"), N(t.VolunteersServing)],
                [L("在册老人", "Elders registered"), N(t.EldersRegistered)],
                [L("受服务老人", "Elders served"), N(t.EldersServed)],
                [L("服务次数", "Services"), N(t.Services)],
                [L("服务分钟", "Minutes served"), N(t.MinutesServed)],
                [L("已确认", "Confirmed"), N(t.ServicesConfirmed)],
                [L("有异议", "Disputed"), N(t.ServicesDisputed)],
                [L("已冲正", "Reversed"), N(t.ServicesReversed)],
                [L("发放积分", "Points awarded"), N(t.PointsAwarded)],
                [L("兑换积分", "Points redeemed"), N(t.PointsRedeemed)],
                [L("退回积分", "Points restored"), N(t.PointsRestored)],
                [L("过期积分", "Points expired"), N(t.PointsExpired)],
                [L("转入积分", "Points transferred in"), N(t.PointsTransferredIn)],
                [L("转出积分", "Points transferred out"), N(t.PointsTransferredOut)],
            ]),
            new("volunteers", L("志愿者结算", "Volunteers"),
            [
                L("志愿者编号", "Volunteer id"), L("姓名", "Name"), L("服务队", "Team"), L("服务次数", "Services"), L("服务分钟", "Minutes served"),
                L("已确认", "Confirmed"), L("有异议", "Disputed"), L("已冲正", "Reversed"), L("本季积分", "Points awarded"), L("服务积分", "Service points"),
                L("六个一奖励", "Bonus points"), L("封顶扣减", "Cut by cap"), L("补记调整", "Adjustments"), L("未追回", "Unrecovered"),
                L("兑换积分", "Points redeemed"), L("退回积分", "Points restored"), L("结算时积分余额", "Points balance at the closing"),
                L("结算时时间余额(分钟)", "Minutes balance at the closing"),
                L("时间储蓄支取", "Time savings spent"), L("转赠分钟", "Minutes given"), L("受赠分钟", "Minutes received"),
                L("过期积分", "Points expired"), L("转入积分", "Points transferred in"), L("转出积分", "Points transferred out"),
                L("转入分钟", "Minutes transferred in"), L("转出分钟", "Minutes transferred out"),
                L("上季结转积分", "Points brought forward"), L("本季结转积分", "Points carried forward"),
                L("上季结转分钟", "Minutes brought forward"), L("本季入账分钟", "Minutes banked"), L("本季结转分钟", "Minutes carried forward"),
            ],
            [.. report.Volunteers.Select(v => (IReadOnlyList<string>)
            [
                Id(v.VolunteerId), v.Name ?? "", Team(v.Team), N(v.Services), N(v.MinutesServed), N(v.Confirmed), N(v.Disputed), N(v.Reversed), N(v.PointsAwarded),
                N(v.ServicePoints), N(v.BonusPoints), N(v.CutByCap), N(v.AdjustmentPoints), N(v.Unrecovered), N(v.PointsRedeemed), N(v.PointsRestored),
                N(v.PointsBalance), N(v.MinutesBalance), N(v.TimeSavingsSpent), N(v.MinutesGiven), N(v.MinutesReceived),
                N(v.PointsExpired), N(v.PointsTransferredIn), N(v.PointsTransferredOut), N(v.MinutesTransferredIn), N(v.MinutesTransferredOut),
                N(v.PointsBroughtForward), N(v.PointsCarriedForward), N(v.MinutesBroughtForward), N(v.MinutesBanked), N(v.MinutesCarriedForward),
            ])]),
            new("volunteer-service-types", L("志愿者分类服务时长", "Minutes by service type"),
                [L("志愿者编号", "Volunteer id"), L("姓名", "Name"), L("服务类型", "Service type"), L("服务次数", "Services"), L("服务分钟", "Minutes served")],
                [.. report.Volunteers.SelectMany(v => v.MinutesByServiceType.Select(s => (IReadOnlyList<string>)[Id(v.VolunteerId), v.Name ?? "", Type(s.ServiceType), N(s.Services), N(s.Minutes)]))]),
            new("service-types", L("服务类型汇总", "Service types"),
                [L("服务类型", "Service type"), L("服务次数", "Services"), L("服务分钟", "Minutes served")],
                [.. report.ServiceTypes.Where(t => t.Services > 0).Select(t => (IReadOnlyList<string>)[Type(t.ServiceType), N(t.Services), N(t.Minutes)])]),
            new("elder-categories", L("老人分类服务", "Elders by care category"),
                [L("类别", "Care category"), L("老人数", "Elders"), L("受服务老人", "Elders served"), L("接受服务次数", "Services received"), L("接受服务分钟", "Minutes received")],
                [.. report.ElderCategories.Select(e => (IReadOnlyList<string>)[Category(e.Category), N(e.Elders), N(e.EldersServed), N(e.ServicesReceived), N(e.MinutesReceived)])]),
            new("cadence", L("六个一落实情况", "The six ones kept"),
                [L("项目", "Rhythm"), L("应落实结对", "Pairings owing"), L("全部落实结对", "Pairings keeping all"), L("结对落实率%", "Pairings kept %"),
                 L("应落实次数", "Periods owed"), L("已落实次数", "Periods kept"), L("次数落实率%", "Periods kept %")],
                [.. report.Cadence.Select(r => (IReadOnlyList<string>)
                    [Rhythm(r.Rhythm), N(r.PairingsOwing), N(r.PairingsKeepingAll), P(r.PercentOfPairings), N(r.PeriodsOwed), N(r.PeriodsKept), P(r.PercentOfPeriods)])]),
            new("cadence-by-category", L("分类六个一落实率", "The six ones by care category"),
                [L("类别", "Care category"), L("项目", "Rhythm"), L("应落实次数", "Periods owed"), L("已落实次数", "Periods kept"), L("落实率%", "Kept %")],
                [.. report.CadenceByCategory.Select(r => (IReadOnlyList<string>)[Category(r.Category), Rhythm(r.Rhythm), N(r.PeriodsOwed), N(r.PeriodsKept), P(r.PercentKept)])]),
            new("elders-without-visit", L("本季未获上门看望的老人（请跟进）", "Elders with no home visit this quarter (follow up)"),
                [L("老人编号", "Elder id"), L("姓名", "Name"), L("类别", "Care category"), L("小区", "Compound"), L("网格员编号", "Grid worker id"), L("网格员", "Grid worker"),
                 L("结对志愿者编号", "Paired volunteer id"), L("结对志愿者", "Paired volunteer")],
                [.. report.EldersWithoutVisit.Select(e => (IReadOnlyList<string>)
                    [Id(e.ElderId), e.Name ?? "", Category(e.Category), e.Compound ?? "", e.GridWorkerId is { } g ? Id(g) : "", e.GridWorkerName ?? "",
                     e.VolunteerId is { } v ? Id(v) : "", e.VolunteerName ?? ""])]),
            new("store", L("积分超市兑换", "Store"),
                [L("兑换站", "Station"), L("商品", "Item"), L("单位", "Unit"), L("单价积分", "Price (points)"), L("期初库存", "Stock at start"), L("上架", "Added"),
                 L("补货", "Restocked"), L("兑换", "Redeemed"), L("退货", "Returned"), L("取消/过期退回", "Cancelled or expired"), L("期末库存", "Stock at end"), L("兑换积分", "Points redeemed")],
                [.. report.Store.Select(s => (IReadOnlyList<string>)
                    [s.Station, s.Item, s.Unit, N(s.PricePoints), N(s.StockAtStart), N(s.Added), N(s.Restocked), N(s.Redeemed), N(s.Returned), N(s.Released), N(s.StockAtEnd), N(s.PointsRedeemed)])]),
            new("teams", L("服务队汇总", "Teams"),
                [L("服务队", "Team"), L("志愿者", "Volunteers"), L("服务过的志愿者", "Volunteers who served"), L("服务次数", "Services"), L("服务分钟", "Minutes served"), L("发放积分", "Points awarded")],
                [.. report.Teams.Select(x => (IReadOnlyList<string>)[Team(x.Team), N(x.Volunteers), N(x.VolunteersServing), N(x.Services), N(x.MinutesServed), N(x.PointsAwarded)])]),
            new("commendations", L("表彰名单", "Commendations"),
                [L("名次", "Rank"), L("志愿者编号", "Volunteer id"), L("姓名", "Name"), L("服务队", "Team"), L("本季积分", "Points awarded"), L("服务分钟", "Minutes served")],
                [.. report.Commendations.Select(x => (IReadOnlyList<string>)[N(x.Rank), Id(x.VolunteerId), x.Name ?? "", Team(x.Team), N(x.PointsAwarded), N(x.MinutesServed)])]),
            new("adjustments", L("补记与冲正调整", "Adjustments from late records"),
                [L("志愿者编号", "Volunteer id"), L("姓名", "Name"), L("服务编号", "Service id"), L("服务日期", "Service day"), L("所属季度", "Service quarter"), L("服务类型", "Service type"),
                 L("分钟", "Minutes"), L("积分", "Points"), L("冲正", "Reversal")],
                [.. report.Adjustments.Select(a => (IReadOnlyList<string>)
                    [Id(a.VolunteerId), report.Volunteers.FirstOrDefault(v => v.VolunteerId == a.VolunteerId)?.Name ?? "", Id(a.ServiceId), a.ServiceDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), a.ServiceQuarter.ToString(), Type(a.ServiceType), N(a.Minutes), N(a.Points), a.Reversal ? L("是", "yes") : L("否", "no")])]),
            new("minutes-by-month", L("月度服务时长", "Minutes by month"),
                [L("月份", "Month"), L("服务次数", "Services"), L("服务分钟", "Minutes served")],
                [.. report.MinutesByMonth.Select(m => (IReadOnlyList<string>)[$"{m.Year:D4}-{m.Month:D2}", N(m.Services), N(m.Minutes)])]),
            new("points-distribution", L("积分分布", "Points distribution"),
                [L("积分段", "Points"), L("志愿者", "Volunteers")],
                [.. report.PointsDistribution.Select(b => (IReadOnlyList<string>)[BandName(b), N(b.Volunteers)])]),
        ];
    }

    /// <summary>One row per community of the county, with its events and digest, and the county's totals last.</summary>
    public static ReportTable CountySummary(CountyReport report, ReportLanguage language)
    {
        string L(string zh, string en) => Label(language, zh, en);
        IReadOnlyList<string> Row(string code, string name, string events, string digest, ReportTotals t) =>
        [
            code, name, events, digest, N(t.VolunteersEnrolled), N(t.VolunteersServing), N(t.EldersRegistered), N(t.EldersServed), N(t.Services), N(t.MinutesServed),
            N(t.ServicesConfirmed), N(t.ServicesDisputed), N(t.ServicesReversed), N(t.PointsAwarded), N(t.PointsRedeemed), N(t.PointsRestored),
            N(t.PointsExpired), N(t.PointsTransferredIn), N(t.PointsTransferredOut),
        ];
        return new ReportTable("communities", L($"{report.County} {report.Quarter} 各社区汇总", $"{report.County} {report.Quarter}: communities"),
            [
                L("社区代码", "Community"), L("社区", "Name"), L("事件数", "Events"), L("事件摘要 (SHA-256)", "Event digest (SHA-256)"),
                L("在册志愿者", "Volunteers enrolled"), L("服务过的志愿者", "Volunteers who served"), L("在册老人", "Elders registered"), L("受服务老人", "Elders served"),
                L("服务次数", "Services"), L("服务分钟", "Minutes served"), L("已确认", "Confirmed"), L("有异议", "Disputed"), L("已冲正", "Reversed"),
                L("发放积分", "Points awarded"), L("兑换积分", "Points redeemed"), L("退回积分", "Points restored"),
                L("过期积分", "Points expired"), L("转入积分", "Points transferred in"), L("转出积分", "Points transferred out"),
            ],
            [
                .. report.Communities.Select(c => Row(c.Community, c.CommunityName, N(c.Coverage.Events), c.Coverage.Digest, c.Totals)),
                Row(L("合计", "Total"), report.County, N(report.Communities.Sum(c => c.Coverage.Events)), "", report.Totals),
            ]);
    }

    internal static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A team's name in the report's language; a community's own team by the code it chose.</summary>
    public static string TeamName(string code, ReportLanguage language) =>
        VolunteerTeams.Find(code) is { } team ? Label(language, team.ChineseName, team.EnglishName) : code;

    /// <summary>A service type's name: the catalogue's, in English when there is one; a community's own type by its Chinese name.</summary>
    public static string ServiceTypeName(QuarterlyReport report, string code, ReportLanguage language)
    {
        if (language == ReportLanguage.En && ServiceCatalogue.EnglishNames.TryGetValue(code, out var english)) return english;
        return report.ServiceTypes.FirstOrDefault(t => t.ServiceType == code)?.ChineseName ?? ServiceCatalogue.Find(code)?.ChineseName ?? code;
    }

    /// <summary>An instant as the community's clock showed it, with the offset ("2026-10-05 09:00:00 +08:00").</summary>
    public static string LocalTime(QuarterlyReport report, DateTimeOffset at) =>
        report.Local(at).ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);

    public static string BandName(PointsBand band) => (band.From, band.To) switch
    {
        (int.MinValue, { } to) => $"≤{to}",
        (var from, { } to) => $"{from}-{to}",
        (var from, null) => $"≥{from}",
    };

    public static string CategoryName(CareCategory category, ReportLanguage language) => (category, language) switch
    {
        (CareCategory.Comfortable, ReportLanguage.Zh) => "小康型",
        (CareCategory.LivingAlone, ReportLanguage.Zh) => "独居型",
        (CareCategory.Disabled, ReportLanguage.Zh) => "失能型",
        (CareCategory.Poor, ReportLanguage.Zh) => "贫困型",
        (CareCategory.Comfortable, _) => "Comfortable",
        (CareCategory.LivingAlone, _) => "Living alone",
        (CareCategory.Disabled, _) => "Disabled",
        _ => "Poor",
    };

    public static string RhythmName(Rhythm rhythm, ReportLanguage language) => (rhythm, language) switch
    {
        (Rhythm.DailyGreeting, ReportLanguage.Zh) => "一天一问候",
        (Rhythm.WeeklyVisit, ReportLanguage.Zh) => "一周一看望",
        (Rhythm.MonthlyService, ReportLanguage.Zh) => "一月一服务",
        (Rhythm.QuarterlyActivity, ReportLanguage.Zh) => "一季一联盟",
        (Rhythm.FestivalActivity, ReportLanguage.Zh) => "每节一活动",
        (Rhythm.BirthdayVisit, ReportLanguage.Zh) => "生日一慰问",
        (Rhythm.DailyGreeting, _) => "Daily greeting",
        (Rhythm.WeeklyVisit, _) => "Weekly visit",
        (Rhythm.MonthlyService, _) => "Monthly service",
        (Rhythm.QuarterlyActivity, _) => "Quarterly activity",
        (Rhythm.FestivalActivity, _) => "Festival activity",
        _ => "Birthday visit",
    };
}
