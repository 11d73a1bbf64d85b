using TimeBank.Domain.Care;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Elders;
using TimeBank.Domain.Pairings;
using TimeBank.Domain.Points;
using TimeBank.Domain.Services;

namespace TimeBank.Domain.Tests.Points;

public class QuarterlyScoringTests
{
    private static readonly Guid VolunteerId = Guid.NewGuid();
    private static readonly Guid Alone = Guid.NewGuid();
    private static readonly Guid Frail = Guid.NewGuid();
    private static readonly Quarter Q3 = new(2026, 3);
    private static readonly Quarter Q4 = new(2026, 4);

    private static readonly ScoringRules Plain = new(12, [new ServiceTypeRate("greeting-call", 6)], [new CategoryWeight(CareCategory.Disabled, 150)], [], null, false);

    private static CareCategory? CategoryOn(Guid elderId, DateOnly day) =>
        elderId == Frail ? CareCategory.Disabled : elderId == Alone ? CareCategory.LivingAlone : null;

    private static ServiceRecorded Service(string day, int minutes, string type = "home-visit", Guid? elder = null, Guid? id = null) =>
        new(id ?? Guid.NewGuid(), VolunteerId, [elder ?? Alone], type, DateTimeOffset.Parse($"{day}T09:00:00+08:00"), minutes, DateOnly.Parse(day), minutes, "grid-01", DateTimeOffset.Parse($"{day}T10:00:00+08:00"));

    private static ServiceReversed Reversal(ServiceRecorded s) =>
        new(s.ServiceId, VolunteerId, s.ElderIds, s.ServiceType, s.ServiceDay, s.Minutes, s.MinutesBanked, ReversalReason.NotDone, "grid-01", s.RecordedAt.AddDays(1));

    private static ScoreBreakdown Score(Quarter quarter, ScoringRules rules, int balance, params object[] stream) =>
        QuarterlyScoring.Score(stream, quarter, _ => rules, CategoryOn, [], balance);

    private static PointsAwarded Award(Quarter quarter, ScoreBreakdown breakdown) =>
        new(VolunteerId, quarter, breakdown.Total, breakdown, "office-01", DateTimeOffset.Parse("2026-10-02T09:00:00+08:00"));

    [TestCase(60, 12, 100, 12)]
    [TestCase(10, 12, 100, 2)] // 10 × 12 ÷ 60 = 2 exactly
    [TestCase(10, 10, 100, 2)] // 1.67 rounds up
    [TestCase(15, 10, 100, 3)] // 2.5 rounds half up
    [TestCase(14, 10, 100, 2)] // 2.33 rounds down
    [TestCase(45, 10, 150, 11)] // 11.25
    [TestCase(3, 10, 100, 1)] // 0.5 rounds up
    [TestCase(2, 10, 100, 0)] // 0.33 rounds down
    [TestCase(480, 1000, 1000, 80000)] // the largest a rule allows stays exact
    public void a_service_scores_minutes_times_rate_times_weight_rounded_half_up(int minutes, int perHour, int weight, int points) =>
        Assert.That(ScoringRules.PointsFor(minutes, perHour, weight), Is.EqualTo(points));

    [Test]
    public void a_quarter_adds_up_its_service_lines_with_the_rate_of_each_type_and_the_weight_of_the_elder()
    {
        // A 60-minute visit to the disabled elder: 12 × 150% = 18. A 10-minute greeting at 6 an hour: 1.
        // A 90-minute visit to the elder living alone (no weight set, so 100%): 18. Total 37.
        var breakdown = Score(Q3, Plain, 0,
            Service("2026-07-06", 60, elder: Frail), Service("2026-07-07", 10, "greeting-call"), Service("2026-08-01", 90));

        Assert.That(breakdown.Services.Select(l => (l.PointsPerHour, l.WeightPercent, l.Points)), Is.EqualTo(new[] { (12, 150, 18), (6, 100, 1), (12, 100, 18) }));
        Assert.That((breakdown.ServicePoints, breakdown.AdjustmentPoints, breakdown.Total), Is.EqualTo((37, 0, 37)));
    }

    [Test]
    public void services_of_a_later_quarter_wait_and_a_reversal_before_scoring_cancels_its_service()
    {
        var wrong = Service("2026-09-01", 60);

        var breakdown = Score(Q3, Plain, 0, Service("2026-09-30", 60), wrong, Reversal(wrong), Service("2026-10-01", 60));

        Assert.That((breakdown.Services.Count, breakdown.Total), Is.EqualTo((1, 12)));
    }

    [Test]
    public void a_service_recorded_after_its_quarter_closed_and_a_late_reversal_are_adjustments_of_the_next_quarter()
    {
        var counted = Service("2026-09-10", 60, elder: Frail);
        var q3 = Score(Q3, Plain, 0, counted);
        var award = Award(Q3, q3);
        var late = Service("2026-09-20", 30);

        var q4 = Score(Q4, Plain, award.Points, counted, award, late, Reversal(counted), Service("2026-10-05", 60));

        // Q3 awarded 18. In Q4: the October visit (12), the late September visit (+6) and the reversal of the
        // September visit for the disabled elder (−18, its points as awarded).
        Assert.That(q4.Services.Select(l => (l.ServiceQuarter.ToString(), l.Points, l.Adjustment, l.Reversal)), Is.EquivalentTo(new[]
        {
            ("2026Q3", 6, true, false),
            ("2026Q3", -18, true, true),
            ("2026Q4", 12, false, false),
        }));
        Assert.That((q4.ServicePoints, q4.AdjustmentPoints, q4.Total), Is.EqualTo((12, -12, 0)));
    }

    [Test]
    public void the_cap_limits_the_quarters_own_points_but_not_adjustments()
    {
        var capped = Plain with { QuarterCap = 20 };
        var first = Service("2026-09-10", 60);
        var award = Award(Q3, Score(Q3, capped, 0, first));

        var q4 = Score(Q4, capped, award.Points, first, award, Service("2026-09-11", 60), Service("2026-10-05", 120), Service("2026-10-06", 60));

        // Own: 24 + 12 = 36, cut by 16 to the cap of 20; the late September service adds 12 on top.
        Assert.That((q4.ServicePoints, q4.CutByCap, q4.AdjustmentPoints, q4.Total), Is.EqualTo((36, 16, 12, 32)));
    }

    [Test]
    public void a_negative_award_never_takes_the_balance_below_zero_and_shows_what_it_wrote_off()
    {
        var counted = Service("2026-09-10", 120);
        var award = Award(Q3, Score(Q3, Plain, 0, counted));

        // Q3 gave 24; 20 of them were spent, so 4 are left when the reversal takes back 24.
        var q4 = Score(Q4, Plain, 4, counted, award, Reversal(counted));

        Assert.That((q4.AdjustmentPoints, q4.Unrecovered, q4.Total), Is.EqualTo((-24, 20, -4)));
    }

    [Test]
    public void when_only_confirmed_services_count_the_others_are_listed_with_no_points()
    {
        var confirmed = Service("2026-09-10", 60);
        var rules = Plain with { OnlyConfirmedServicesCount = true };

        var breakdown = Score(Q3, rules, 0, confirmed, Service("2026-09-11", 60),
            new ServiceConfirmed(confirmed.ServiceId, VolunteerId, EvaluatorRole.Elder, Alone, null, DateTimeOffset.Parse("2026-09-12T09:00:00+08:00")));

        Assert.That(breakdown.Services.Select(l => (l.Points, l.NotCounted)), Is.EqualTo(new[] { (12, (string?)null), (0, "not-confirmed") }));
    }

    [Test]
    public void a_pairing_earns_the_bonus_of_each_rhythm_it_kept_often_enough()
    {
        // 91 days owed, 85 greeted (93%); 13 weeks owed, 11 visited (84%).
        var pairing = new Pairing(Guid.NewGuid(), Alone, VolunteerId, new DateOnly(2026, 1, 1), PairingBasis.Proximity, null, null);
        var days = Enumerable.Range(0, 91).Select(d => new OwedPeriod(pairing, new CarePeriod(Rhythm.DailyGreeting, Q3.FirstDay.AddDays(d), Q3.FirstDay.AddDays(d)), d >= 6));
        var weeks = Enumerable.Range(0, 13).Select(w => new OwedPeriod(pairing, new CarePeriod(Rhythm.WeeklyVisit, Q3.FirstDay.AddDays(7 * w), Q3.FirstDay.AddDays((7 * w) + 6)), w >= 2));
        var rules = Plain with { RhythmBonuses = [new RhythmBonus(Rhythm.DailyGreeting, 90, 20), new RhythmBonus(Rhythm.WeeklyVisit, 90, 20)] };

        var breakdown = QuarterlyScoring.Score([], Q3, _ => rules, CategoryOn, days.Concat(weeks), 0);

        Assert.That(breakdown.Bonuses.Select(b => (b.Rhythm, b.Owed, b.Kept, b.PercentKept, b.Points)), Is.EqualTo(new[]
        {
            (Rhythm.DailyGreeting, 91, 85, (int?)93, 20),
            (Rhythm.WeeklyVisit, 13, 11, (int?)84, 0),
        }));
        Assert.That(breakdown.Total, Is.EqualTo(20));
    }
}
