using TimeBank.Domain.Communities;
using TimeBank.Domain.Elders;
using TimeBank.Domain.Points;
using TimeBank.Domain.Reports;
using TimeBank.Domain.Services;
using TimeBank.Domain.Store;
using TimeBank.Domain.Volunteers;

namespace TimeBank.Domain.Tests.Reports;

/// <summary>The fold that makes a quarter's report, on events made in the test: no database, no HTTP.</summary>
public class QuarterlyReportingTests
{
    private static readonly Quarter Q4 = new(2026, 4);
    private static readonly Guid CommunityId = Guid.NewGuid();
    private static readonly Guid StationId = Guid.NewGuid();
    private static readonly Guid Rice = Guid.NewGuid();
    private static readonly ReportCoverage Coverage = new(1, 99, 99, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, "digest");

    private static DateTimeOffset Shanghai(string at) => DateTimeOffset.Parse($"{at}+08:00");

    private static List<LedgerEvent> Log(params (Guid Stream, object Data)[] events) =>
        [.. events.Select((e, i) => new LedgerEvent(i + 1, e.Stream, e.Data))];

    private static (Guid, object) Registered() =>
        (CommunityId, new CommunityRegistered(CommunityId, "test", "测试社区", "Asia/Shanghai", "office-01", Shanghai("2026-01-01T09:00:00")));

    private static (Guid, object) Closed() =>
        (CommunityId, new QuarterClosed(CommunityId, Q4, 0, 0, "office-01", Shanghai("2027-01-02T09:00:00")));

    private static (Guid, object) Enrolled(Guid volunteer, string team = "general-care") =>
        (volunteer, new VolunteerEnrolled(volunteer, team, new DateOnly(2026, 1, 5), null, "grid-01", Shanghai("2026-01-05T09:00:00")));

    private static (Guid, object) Served(Guid volunteer, Guid elder, string day, int minutes) =>
        (volunteer, new ServiceRecorded(Guid.NewGuid(), volunteer, [elder], "home-visit", Shanghai($"{day}T09:00:00"), minutes, DateOnly.Parse(day), minutes, "grid-01", Shanghai($"{day}T12:00:00")));

    private static (Guid, object) Placed(Guid volunteer, int quantity, DateTimeOffset at) =>
        (StationId, new StoreOrderPlaced(StationId, Guid.NewGuid(), volunteer, [new OrderLine(Rice, quantity, 10)], 10 * quantity, "R1", "123456", at.AddDays(7), "store-01", at));

    private static QuarterlyReport Build(List<LedgerEvent> log) => QuarterlyReporting.Build(Q4, log, Coverage, _ => null);

    [Test]
    public void the_store_counts_by_the_day_at_the_counter_in_the_communitys_time_zone()
    {
        var volunteer = Guid.NewGuid();
        var report = Build(Log(
            Registered(),
            Enrolled(volunteer),
            (StationId, new StationOpened(StationId, "实践站", 7, "office-01", Shanghai("2026-09-01T09:00:00"))),
            (StationId, new StoreItemAdded(StationId, Rice, "大米", "袋", 10, 20, "store-01", Shanghai("2026-09-01T09:00:00"))),
            // 23:30 on 30 September in Shanghai: Q3's, though it is 15:30 UTC.
            Placed(volunteer, 2, Shanghai("2026-09-30T23:30:00")),
            // 00:30 on 1 October in Shanghai: Q4's, though it is still 30 September in UTC.
            Placed(volunteer, 3, Shanghai("2026-10-01T00:30:00")),
            (StationId, new StoreItemRestocked(StationId, Rice, 5, "store-01", Shanghai("2026-12-31T23:59:00"))),
            // After the quarter: in the range (before the closing) but not in the quarter's movements.
            Placed(volunteer, 4, Shanghai("2027-01-01T08:00:00")),
            Closed()));

        // 20 − 2 = 18 at the start; 18 − 3 + 5 = 20 at the end.
        Assert.That(report.Store.Single(), Is.EqualTo(new StoreItemMovement(StationId, "实践站", Rice, "大米", "袋", 10, 18, 0, 5, 3, 0, 0, 20, 30)));
    }

    [Test]
    public void an_elder_registered_after_the_quarter_but_served_in_it_is_counted_and_one_registered_later_unserved_is_not()
    {
        var volunteer = Guid.NewGuid();
        Guid servedLate = Guid.NewGuid(), registeredLate = Guid.NewGuid();
        var report = Build(Log(
            Registered(),
            Enrolled(volunteer),
            (servedLate, new ElderRegistered(servedLate, CareCategory.Disabled, null, null, new DateOnly(2027, 1, 2), "grid-01", Shanghai("2027-01-02T08:00:00"))),
            (registeredLate, new ElderRegistered(registeredLate, CareCategory.Poor, null, null, new DateOnly(2027, 1, 2), "grid-01", Shanghai("2027-01-02T08:00:00"))),
            Served(volunteer, servedLate, "2026-11-02", 60),
            Closed()));

        Assert.That(report.ElderCategories.Where(c => c.Elders > 0).Select(c => (c.Category, c.Elders, c.EldersServed, c.MinutesReceived)),
            Is.EqualTo(new[] { (CareCategory.Disabled, 1, 1, 60) }));
    }

    [Test]
    public void equal_points_and_minutes_share_a_place_on_the_commendation_list()
    {
        Guid first = Guid.NewGuid(), second = Guid.NewGuid(), third = Guid.NewGuid(), elder = Guid.NewGuid();
        var report = Build(Log(
            Registered(), Enrolled(first), Enrolled(second), Enrolled(third),
            Served(first, elder, "2026-10-05", 60), Served(second, elder, "2026-10-06", 60), Served(third, elder, "2026-10-07", 30),
            Closed()));

        Assert.That(report.Commendations.Select(c => (c.Rank, c.MinutesServed)), Is.EqualTo(new[] { (1, 60), (1, 60), (3, 30) }));
    }

    [Test]
    public void a_report_is_made_naming_nobody_and_named_as_it_is_read()
    {
        Guid named = Guid.NewGuid(), erased = Guid.NewGuid(), elder = Guid.NewGuid();
        var report = Build(Log(Registered(), Enrolled(named), Enrolled(erased), Served(named, elder, "2026-10-05", 60), Closed()));

        var read = report.Named(id => id == named ? "王秀兰" : null);

        Assert.That(report.Volunteers.Select(v => v.Name), Has.All.Null);
        Assert.That(report.Commendations.Select(c => c.Name), Has.All.Null);
        Assert.That(read.Volunteers.Select(v => (v.VolunteerId, v.Name)), Is.EquivalentTo(new[] { (named, "王秀兰"), (erased, (string?)null) }));
        Assert.That(read.Commendations.Single(c => c.VolunteerId == named).Name, Is.EqualTo("王秀兰"));
        Assert.That(read with { Volunteers = report.Volunteers, Commendations = report.Commendations, EldersWithoutVisit = report.EldersWithoutVisit }, Is.EqualTo(report),
            "naming changes nothing but the names");
    }

    [Test]
    public void a_report_is_made_only_from_events_that_hold_the_quarters_closing() =>
        Assert.That(() => Build(Log(Registered())), Throws.InvalidOperationException.With.Message.Contains("no closing of 2026Q4"));

    private static (Guid, object) Awarded(Guid volunteer, Quarter quarter, int points, string at) =>
        (volunteer, new PointsAwarded(volunteer, quarter, points, new ScoreBreakdown([], [], points, 0, null, 0, 0, 0, points), "office-01", Shanghai(at)));

    private static (Guid, object) ClosedQ(Quarter quarter, int points, string at) =>
        (CommunityId, new QuarterClosed(CommunityId, quarter, 1, points, "office-01", Shanghai(at)));

    private static (Guid, object) Redeemed(Guid volunteer, int points, string at) =>
        (volunteer, new PointsRedeemed(volunteer, Guid.NewGuid(), StationId, points, Shanghai(at)));

    [Test]
    public void the_quarters_books_add_up_when_it_is_closed_days_after_it_ended_with_a_redemption_in_between()
    {
        var volunteer = Guid.NewGuid();
        var elder = Guid.NewGuid();
        var report = Build(Log(
            Registered(),
            Enrolled(volunteer),
            // Q3 closed on 3 October with 40 points; 10 of them spent on 5 November (in Q4).
            Served(volunteer, elder, "2026-09-10", 120),
            Awarded(volunteer, new Quarter(2026, 3), 40, "2026-10-03T09:00:00"),
            ClosedQ(new Quarter(2026, 3), 40, "2026-10-03T09:00:00"),
            Served(volunteer, elder, "2026-11-02", 60),
            Redeemed(volunteer, 10, "2026-11-05T10:00:00"),
            // 2 January, before Q4 is closed on the 6th: 15 spent, and a January service.
            Redeemed(volunteer, 15, "2027-01-02T10:00:00"),
            Served(volunteer, elder, "2027-01-03", 30),
            Awarded(volunteer, Q4, 20, "2027-01-06T09:00:00"),
            (CommunityId, new QuarterClosed(CommunityId, Q4, 1, 20, "office-01", Shanghai("2027-01-06T09:00:00")))));

        var line = report.Volunteers.Single();
        // Brought forward: Q3's award of 40 and 120 minutes. Q4: +20 awarded, −10 redeemed: 50 carried forward,
        // 40 + 20 − 10 − 15 = 35 at the closing. Minutes: 120 + 60 = 180 at the quarter's end, 210 at the closing.
        Assert.That((line.PointsBroughtForward, line.PointsAwarded, line.PointsRedeemed, line.PointsCarriedForward, line.PointsBalance), Is.EqualTo((40, 20, 10, 50, 35)));
        Assert.That((line.MinutesBroughtForward, line.MinutesBanked, line.MinutesCarriedForward, line.MinutesBalance), Is.EqualTo((120, 60, 180, 210)));
        Assert.That(line.PointsBroughtForward + line.PointsAwarded - line.PointsRedeemed + line.PointsRestored - line.PointsExpired
            + line.PointsTransferredIn - line.PointsTransferredOut, Is.EqualTo(line.PointsCarriedForward));
    }

    [Test]
    public void a_service_recorded_after_its_quarter_closed_is_banked_in_the_next_quarter_closed()
    {
        var volunteer = Guid.NewGuid();
        var elder = Guid.NewGuid();
        var report = Build(Log(
            Registered(),
            Enrolled(volunteer),
            Served(volunteer, elder, "2026-09-10", 60),
            Awarded(volunteer, new Quarter(2026, 3), 10, "2026-10-03T09:00:00"),
            ClosedQ(new Quarter(2026, 3), 10, "2026-10-03T09:00:00"),
            // Recorded after Q3 closed: Q4's books, as its points are Q4's adjustment.
            Served(volunteer, elder, "2026-09-20", 45),
            // A service of 30 September recorded on 1 October, before Q3 closed, would have been Q3's; this one is Q4's own.
            Served(volunteer, elder, "2026-10-20", 30),
            Awarded(volunteer, Q4, 13, "2027-01-02T09:00:00"),
            Closed()));

        var line = report.Volunteers.Single();
        Assert.That((line.MinutesBroughtForward, line.MinutesBanked, line.MinutesCarriedForward), Is.EqualTo((60, 75, 135)));
        Assert.That((line.MinutesServed, line.PointsBroughtForward, line.PointsCarriedForward), Is.EqualTo((30, 10, 23)));
    }

    [Test]
    public void what_a_quarter_carries_forward_the_next_brings_forward()
    {
        var volunteer = Guid.NewGuid();
        var elder = Guid.NewGuid();
        (Guid, object)[] events =
        [
            Registered(),
            Enrolled(volunteer),
            Served(volunteer, elder, "2026-09-10", 60),
            Awarded(volunteer, new Quarter(2026, 3), 10, "2026-10-03T09:00:00"),
            ClosedQ(new Quarter(2026, 3), 10, "2026-10-03T09:00:00"),
            Redeemed(volunteer, 4, "2026-10-04T10:00:00"),
            Served(volunteer, elder, "2026-10-20", 30),
            Awarded(volunteer, Q4, 5, "2027-01-02T09:00:00"),
            Closed(),
        ];
        var q3 = QuarterlyReporting.Build(new Quarter(2026, 3), Log(events[..5]), Coverage, _ => null).Volunteers.Single();
        var q4 = Build(Log(events)).Volunteers.Single();

        Assert.That((q3.PointsCarriedForward, q3.MinutesCarriedForward), Is.EqualTo((10, 60)));
        Assert.That((q4.PointsBroughtForward, q4.MinutesBroughtForward), Is.EqualTo((q3.PointsCarriedForward, q3.MinutesCarriedForward)));
        Assert.That((q4.PointsCarriedForward, q4.MinutesCarriedForward), Is.EqualTo((11, 90)));
    }

    [Test]
    public void every_type_of_the_catalogue_and_every_default_team_has_a_name_to_print_in_english_and_chinese()
    {
        Assert.That(ServiceCatalogue.Default.Select(t => t.Code), Is.EquivalentTo(ServiceCatalogue.EnglishNames.Keys));
        Assert.That(VolunteerEnrolment.DefaultTeams, Is.EqualTo(VolunteerTeams.Default.Select(t => t.Code)));
        Assert.That(VolunteerTeams.Default.Select(t => t.ChineseName).Concat(ServiceCatalogue.Default.Select(t => t.ChineseName)), Has.None.Empty);
    }

    [Test]
    public void a_report_lists_the_catalogue_by_name_with_the_quarters_services_of_each_type()
    {
        var volunteer = Guid.NewGuid();
        var report = Build(Log(Registered(), Enrolled(volunteer), Served(volunteer, Guid.NewGuid(), "2026-10-05", 60), Served(volunteer, Guid.NewGuid(), "2026-10-06", 30), Closed()));

        Assert.That(report.ServiceTypes.Select(t => t.ServiceType), Is.EqualTo(ServiceCatalogue.Default.Select(t => t.Code)));
        Assert.That(report.ServiceTypes.Single(t => t.Services > 0), Is.EqualTo(new ServiceTypeTotals("home-visit", "上门看望", 2, 90)));
        Assert.That((report.TimeZone, report.Local(report.ClosedAt).Offset), Is.EqualTo(("Asia/Shanghai", TimeSpan.FromHours(8))));
    }
}
