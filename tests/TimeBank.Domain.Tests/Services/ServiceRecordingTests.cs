using Microsoft.Extensions.Time.Testing;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Elders;
using TimeBank.Domain.Services;
using TimeBank.Domain.Shared;
using TimeBank.Domain.Volunteers;

namespace TimeBank.Domain.Tests.Services;

public class ServiceRecordingTests
{
    // 2026-11-23 10:00 in Shanghai.
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 2, 0, 0, TimeSpan.Zero);
    private static readonly Community Minle = Community.Started(
        new CommunityRegistered(CommunityCode.StreamId("minle"), "minle", "民乐社区", "Asia/Shanghai", "office-01", Now));
    private static readonly Guid VolunteerId = Guid.CreateVersion7();
    private static readonly Elder Elder = Elder.Started(new ElderRegistered(Guid.CreateVersion7(), CareCategory.LivingAlone, null, null, new DateOnly(2026, 1, 1), "grid-01", Now));
    private static readonly Volunteer Volunteer = Volunteer.Started(
        new VolunteerEnrolled(VolunteerId, "general-care", new DateOnly(2026, 1, 5), null, "grid-01", Now));

    private readonly FakeTimeProvider _clock = new(Now);

    private static ServiceReport AHomeVisit(int minutes = 90, DateTimeOffset? startedAt = null, string type = "home-visit") =>
        new(Guid.CreateVersion7(), VolunteerId, [Elder.Id], type, startedAt ?? Now.AddHours(-3), minutes, "grid-01");

    private Decision<ServiceRecorded> Decide(
        ServiceReport report, Volunteer? volunteer = null, IReadOnlyCollection<Elder>? elders = null, IReadOnlyCollection<ServiceRecord>? sameTime = null) =>
        ServiceRecording.Decide(report, Minle, volunteer ?? Volunteer, elders ?? [Elder], NearbyServices.Of(sameTime ?? []), _clock);

    [Test]
    public void an_accepted_service_banks_all_its_minutes_on_the_community_day_it_started()
    {
        // 2026-11-22 16:30 UTC is already 2026-11-23 00:30 in Shanghai.
        var report = AHomeVisit(minutes: 90, startedAt: new DateTimeOffset(2026, 11, 22, 16, 30, 0, TimeSpan.Zero));

        var recorded = Decide(report).Event!;

        Assert.Multiple(() =>
        {
            Assert.That(recorded.ServiceId, Is.EqualTo(report.ServiceId));
            Assert.That(recorded.Minutes, Is.EqualTo(90));
            Assert.That(recorded.MinutesBanked, Is.EqualTo(90));
            Assert.That(recorded.ServiceDay, Is.EqualTo(new DateOnly(2026, 11, 23)));
            Assert.That(recorded.RecordedAt, Is.EqualTo(Now));
            Assert.That(recorded.RecordedBy, Is.EqualTo("grid-01"));
        });
    }

    [TestCase(0, "minutes-not-positive")]
    [TestCase(-15, "minutes-not-positive")]
    [TestCase(241, "minutes-over-cap")]
    public void refuses_minutes_that_are_not_positive_or_over_the_type_cap(int minutes, string code) =>
        AssertRejected(Decide(AHomeVisit(minutes)), code, "minutes");

    [Test]
    public void a_greeting_call_is_capped_lower_than_a_home_visit()
    {
        Assert.That(Decide(AHomeVisit(61)).IsAccepted, Is.True);
        AssertRejected(Decide(AHomeVisit(61, type: "greeting-call")), "minutes-over-cap", "minutes");
    }

    [Test]
    public void a_start_up_to_five_minutes_ahead_is_clock_skew_and_later_is_the_future()
    {
        Assert.That(Decide(AHomeVisit(startedAt: Now.AddMinutes(5))).IsAccepted, Is.True);
        AssertRejected(Decide(AHomeVisit(startedAt: Now.AddMinutes(5).AddSeconds(1))), "service-in-future", "startedAt");
    }

    [Test]
    public void refuses_a_service_before_the_community_day_the_volunteer_enrolled()
    {
        // Enrolled 2026-01-05. 2026-01-04 23:30 in Shanghai is before; 2026-01-05 00:10 in Shanghai (still the 4th in UTC) is not.
        var before = new DateTimeOffset(2026, 1, 4, 23, 30, 0, TimeSpan.FromHours(8));
        var onTheDay = new DateTimeOffset(2026, 1, 4, 16, 10, 0, TimeSpan.Zero);

        AssertRejected(Decide(AHomeVisit(startedAt: before)), "service-before-enrolment", "startedAt");
        Assert.That(Decide(AHomeVisit(startedAt: onTheDay)).IsAccepted, Is.True);
    }

    [Test]
    public void refuses_unknown_service_types_volunteers_and_elders()
    {
        AssertRejected(Decide(AHomeVisit(type: "massage-chair")), "unknown-service-type", "serviceType");
        AssertRejected(ServiceRecording.Decide(AHomeVisit(), Minle, null, [Elder], NearbyServices.None, _clock), "unknown-volunteer", "volunteerId", RejectionKind.NotFound);
        AssertRejected(Decide(AHomeVisit(), elders: []), "unknown-elder", "elderIds", RejectionKind.NotFound);
    }

    [Test]
    public void once_a_volunteer_has_left_nothing_is_banked_for_them_whatever_the_service_day()
    {
        // The departure, dated 20 November, is recorded on 22 November at 10:00 in Shanghai; "now" is 23 November 10:00.
        var left = Volunteer.Evolve(Volunteer, new VolunteerLeft(VolunteerId, new DateOnly(2026, 11, 20), LeavingReason.MovedAway, "grid-01", Now.AddDays(-1)))!;

        // A visit on the day they left, one the day after it, and one after the departure was recorded: all refused.
        AssertRejected(Decide(AHomeVisit(startedAt: new DateTimeOffset(2026, 11, 20, 15, 0, 0, TimeSpan.FromHours(8))), volunteer: left), "service-after-leaving", "startedAt");
        AssertRejected(Decide(AHomeVisit(startedAt: new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.FromHours(8))), volunteer: left), "service-after-leaving", "startedAt");
        AssertRejected(Decide(AHomeVisit(startedAt: Now.AddHours(-2)), volunteer: left), "service-after-leaving", "startedAt");
    }

    [Test]
    public void a_service_started_before_leaving_may_be_recorded_within_the_communitys_grace_period_for_late_records()
    {
        // Two days of grace; the departure dated 20 November was recorded on 22 November at 10:00, so records are
        // taken until 24 November 10:00 for services started by the end of 20 November.
        var lenient = Community.Evolve(Minle, new TimeBankRulesSet(Minle.Id, TimeBankRules.Default with { LateRecordGraceDays = 2 }, "office-01", Now))!;
        var left = Volunteer.Evolve(Volunteer, new VolunteerLeft(VolunteerId, new DateOnly(2026, 11, 20), LeavingReason.MovedAway, "grid-01", Now.AddDays(-1)))!;
        ServiceReport OnTheLastDay() => AHomeVisit(startedAt: new DateTimeOffset(2026, 11, 20, 15, 0, 0, TimeSpan.FromHours(8)));

        Assert.That(ServiceRecording.Decide(OnTheLastDay(), lenient, left, [Elder], NearbyServices.None, _clock).IsAccepted, Is.True, "on 23 November, within the grace");
        AssertRejected(ServiceRecording.Decide(AHomeVisit(startedAt: new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.FromHours(8))), lenient, left, [Elder], NearbyServices.None, _clock),
            "service-after-leaving", "startedAt");
        AssertRejected(ServiceRecording.Decide(OnTheLastDay(), lenient, left, [Elder], NearbyServices.None, new FakeTimeProvider(Now.AddDays(1))), "service-after-leaving", "startedAt");
    }

    [Test]
    public void after_a_move_the_old_community_banks_nothing_new_even_a_service_dated_before_it()
    {
        // Moved on 23 November at 09:00 Shanghai (01:00 UTC), an hour before now.
        var moved = Volunteer.Evolve(Volunteer, new VolunteerTransferredOut(VolunteerId, "taiyuan-02", Guid.CreateVersion7(), 0, new DateOnly(2026, 11, 23), "office-01", Now.AddHours(-1)))!;

        AssertRejected(Decide(AHomeVisit(startedAt: Now.AddMinutes(-30), minutes: 10, type: "greeting-call"), volunteer: moved), "service-after-leaving", "startedAt");
        AssertRejected(Decide(AHomeVisit(startedAt: Now.AddHours(-3), minutes: 30), volunteer: moved), "service-after-leaving", "startedAt");
    }

    [Test]
    public void refuses_a_service_that_overlaps_another_of_the_same_volunteer_but_not_one_that_only_touches_it()
    {
        // An earlier visit from 07:00 to 08:30 (Shanghai).
        var earlier = Decide(AHomeVisit(minutes: 90, startedAt: new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.FromHours(8)))).Event!;
        var recorded = ServiceRecord.Started(earlier);

        var overlapping = AHomeVisit(minutes: 30, startedAt: new DateTimeOffset(2026, 11, 23, 8, 29, 0, TimeSpan.FromHours(8)));
        var touching = AHomeVisit(minutes: 30, startedAt: new DateTimeOffset(2026, 11, 23, 8, 30, 0, TimeSpan.FromHours(8)));

        AssertRejected(Decide(overlapping, sameTime: [recorded]), "overlapping-service", "startedAt");
        Assert.That(Decide(touching, sameTime: [recorded]).IsAccepted, Is.True);
        Assert.That(recorded.Overlaps(touching.StartedAt, touching.EndedAt), Is.False);
    }

    [Test]
    public void a_community_limits_what_is_banked_but_still_records_the_service()
    {
        var rules = TimeBankRules.Default with { DailyBankedMinutesCap = 120, MaxBankedMinutes = 1000, NonEarningServiceTypes = ["meal-delivery"] };
        var strict = Minle with { Rules = rules };
        var rich = Volunteer with { Account = Volunteer.Account.Deposit(950) };
        var morning = ServiceRecord.Started(Decide(AHomeVisit(minutes: 90, startedAt: new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.FromHours(8)))).Event!);
        var afternoon = AHomeVisit(minutes: 60, startedAt: new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(8)));

        // 90 already banked today, the day's cap is 120: 30 of the next 60 minutes are banked.
        var capped = ServiceRecording.Decide(afternoon, strict, Volunteer, [Elder], NearbyServices.Of([morning]), _clock).Event!;
        Assert.That((capped.Minutes, capped.MinutesBanked), Is.EqualTo((60, 30)));

        // 950 in the account, the account's cap is 1,000: 50 of 90 are banked.
        var full = ServiceRecording.Decide(AHomeVisit(minutes: 90), strict, rich, [Elder], NearbyServices.None, _clock).Event!;
        Assert.That(full.MinutesBanked, Is.EqualTo(50));

        var meal = ServiceRecording.Decide(AHomeVisit(minutes: 30, type: "meal-delivery"), strict, Volunteer, [Elder], NearbyServices.None, _clock).Event!;
        Assert.That((meal.Minutes, meal.MinutesBanked), Is.EqualTo((30, 0)));
    }

    [Test]
    public void a_service_type_the_community_added_is_in_its_catalogue()
    {
        var withFootCare = Minle with { OwnServiceTypes = [new ServiceType("foot-care", "足部护理", 45)] };

        Assert.That(ServiceRecording.Decide(AHomeVisit(minutes: 45, type: "foot-care"), withFootCare, Volunteer, [Elder], NearbyServices.None, _clock).IsAccepted, Is.True);
        Assert.That(Decide(AHomeVisit(minutes: 45, type: "foot-care")).Rejection!.Code, Is.EqualTo("unknown-service-type"));
        AssertRejected(ServiceRecording.Decide(AHomeVisit(minutes: 46, type: "foot-care"), withFootCare, Volunteer, [Elder], NearbyServices.None, _clock), "minutes-over-cap", "minutes");
    }

    [Test]
    public void a_batch_is_decided_in_order_each_report_on_what_the_ones_before_it_deposited()
    {
        // A daily cap of 120 minutes. In Shanghai on 23 November: a 90-minute visit at 07:00, a second at 08:00 (it
        // overlaps the first), a 60-minute visit at 09:00 (30 of it banked under the cap), the first sent again (a
        // resend), and a report under the first one's id that is another service.
        var strict = Minle with { Rules = TimeBankRules.Default with { DailyBankedMinutesCap = 120 } };
        var first = AHomeVisit(minutes: 90, startedAt: new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.FromHours(8)));
        var overlapping = AHomeVisit(minutes: 30, startedAt: new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.FromHours(8)));
        var capped = AHomeVisit(minutes: 60, startedAt: new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(8)));
        var otherUnderFirstId = first with { Minutes = 45 };
        var stranger = AHomeVisit() with { VolunteerId = Guid.CreateVersion7() };

        var outcomes = ServiceRecording.DecideMany([first, overlapping, capped, first, otherUnderFirstId, stranger], strict,
            new Dictionary<Guid, Volunteer?> { [VolunteerId] = Volunteer, [stranger.VolunteerId] = null }, new Dictionary<Guid, ServiceRecord>(),
            new Dictionary<Guid, Elder> { [Elder.Id] = Elder }, new Dictionary<Guid, NearbyServices>(), _clock);

        Assert.Multiple(() =>
        {
            Assert.That(outcomes[0].Deposit!.MinutesBanked, Is.EqualTo(90));
            Assert.That(outcomes[1].Rejection!.Code, Is.EqualTo("overlapping-service"));
            Assert.That((outcomes[2].Deposit!.Minutes, outcomes[2].Deposit!.MinutesBanked), Is.EqualTo((60, 30)));
            Assert.That(outcomes[3].IsAlreadyRecorded && outcomes[3].ServiceId == first.ServiceId, Is.True, "the same report again is a resend");
            Assert.That(outcomes[4].Rejection, Is.EqualTo(ServiceRecording.IdTaken));
            Assert.That(outcomes[5].Rejection!.Code, Is.EqualTo("unknown-volunteer"));
        });
    }

    [Test]
    public void a_batch_report_under_an_id_already_recorded_is_a_resend_or_refused()
    {
        var recorded = Decide(AHomeVisit(minutes: 90)).Event!;
        var again = new ServiceReport(recorded.ServiceId, VolunteerId, [Elder.Id], "home-visit", recorded.StartedAt, 90, "grid-01");

        var outcomes = ServiceRecording.DecideMany([again, again with { Minutes = 60 }], Minle, new Dictionary<Guid, Volunteer?> { [VolunteerId] = Volunteer },
            new Dictionary<Guid, ServiceRecord> { [recorded.ServiceId] = ServiceRecord.Started(recorded) }, new Dictionary<Guid, Elder> { [Elder.Id] = Elder },
            new Dictionary<Guid, NearbyServices>(), _clock);

        Assert.That(outcomes.Select(o => (o.IsAlreadyRecorded, o.Rejection?.Code)), Is.EqualTo(new[] { (true, (string?)null), (false, "service-id-taken") }));
    }

    private static void AssertRejected(Decision<ServiceRecorded> decision, string code, string field, RejectionKind kind = RejectionKind.RuleBroken)
    {
        Assert.That(decision.IsAccepted, Is.False, "expected a refusal");
        Assert.Multiple(() =>
        {
            Assert.That(decision.Rejection!.Code, Is.EqualTo(code));
            Assert.That(decision.Rejection.Field, Is.EqualTo(field));
            Assert.That(decision.Rejection.Kind, Is.EqualTo(kind));
        });
    }
}
