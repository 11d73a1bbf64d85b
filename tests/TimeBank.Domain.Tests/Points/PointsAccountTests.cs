using TimeBank.Domain.Communities;
using TimeBank.Domain.Points;
using TimeBank.Domain.Services;
using TimeBank.Domain.Store;
using TimeBank.Domain.TimeAccounts;
using TimeBank.Domain.Volunteers;

namespace TimeBank.Domain.Tests.Points;

/// <summary>The points account folded from a volunteer's events: awards held one by one, spent oldest first, expired, restored and moved.</summary>
public class PointsAccountTests
{
    private static readonly Guid VolunteerId = Guid.NewGuid();
    private static readonly Guid StationId = Guid.NewGuid();
    private static readonly Quarter Q1 = new(2026, 1);
    private static readonly Quarter Q2 = new(2026, 2);
    private static readonly Quarter Q3 = new(2026, 3);
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-07-02T09:00:00+08:00");

    private static VolunteerEnrolled Enrolled() => new(VolunteerId, "general-care", new DateOnly(2026, 1, 5), null, "grid-01", At.AddMonths(-6));

    private static PointsAwarded Award(Quarter quarter, int points) =>
        new(VolunteerId, quarter, points, new ScoreBreakdown([], [], points, 0, null, 0, 0, 0, points), "office-01", At);

    private static Volunteer Fold(params object[] events) => events.Aggregate((Volunteer?)null, Volunteer.Evolve)!;

    /// <summary>An exchange decided on the volunteer as their events leave them, as the counter decides it.</summary>
    private static PointsRedeemed Spend(Volunteer volunteer, Guid orderId, int points) =>
        new(VolunteerId, orderId, StationId, points, At, volunteer.Points.DrawOldestFirst(points));

    private static PointsRestored Restore(Volunteer volunteer, Guid orderId, int points) =>
        new(VolunteerId, orderId, StationId, points, OrderEndReason.Cancelled, At, volunteer.Points.DrawsOf(orderId));

    private static (Quarter, string?, int Remaining, int Spent, int Expired) Holding(AwardHolding h) => (h.Quarter, h.AwardedIn, h.Remaining, h.Spent, h.Expired);

    [Test]
    public void a_spend_draws_on_the_oldest_award_first_and_names_what_it_took_from_each()
    {
        // Awards of 50 for Q1 and 30 for Q2: 80. A spend of 60 takes all 50 of Q1 and 10 of Q2, leaving 0 and 20.
        var awarded = Fold(Enrolled(), Award(Q1, 50), Award(Q2, 30));
        var spend = Spend(awarded, Guid.NewGuid(), 60);
        var after = Volunteer.Evolve(awarded, spend)!;

        Assert.That(spend.DrawnFrom, Is.EqualTo(new[] { new AwardDraw(Q1, null, 50), new AwardDraw(Q2, null, 10) }));
        Assert.That(after.Points.Balance, Is.EqualTo(20));
        Assert.That(after.Points.Awards.Select(Holding), Is.EqualTo(new[] { (Q1, (string?)null, 0, 50, 0), (Q2, (string?)null, 20, 10, 0) }));
    }

    [Test]
    public void a_closing_expires_only_the_unspent_rest_of_an_award_whose_time_is_up()
    {
        // Points expire one whole quarter after their own: Q1's at the closing of Q2. Q1 50 and Q2 30 awarded, 35
        // spent from Q1: at the closing of Q2 the 15 left of Q1 expire; Q2's 30 stay. 80 - 35 - 15 = 30.
        var spentSome = Fold(Enrolled(), Award(Q1, 50), Award(Q2, 30));
        spentSome = Volunteer.Evolve(spentSome, Spend(spentSome, Guid.NewGuid(), 35))!;

        var expired = PointsExpiry.Expire(VolunteerId, spentSome.Points, Q2, 1, "office-01", At)!;
        var after = Volunteer.Evolve(spentSome, expired)!;

        Assert.That((expired.Points, expired.Awards.Single()), Is.EqualTo((15, new AwardDraw(Q1, null, 15))));
        Assert.That((after.Points.Balance, after.Points.Expired), Is.EqualTo((30, 15)));
        Assert.That(after.Points.Awards.Select(Holding), Is.EqualTo(new[] { (Q1, (string?)null, 0, 35, 15), (Q2, (string?)null, 30, 0, 0) }));
        Assert.That(PointsExpiry.Expire(VolunteerId, after.Points, Q2, 1, "office-01", At), Is.Null, "nothing more is due at Q2's closing");
        Assert.That(PointsExpiry.Expire(VolunteerId, after.Points, Q2, null, "office-01", At), Is.Null, "without the setting nothing expires");
    }

    [Test]
    public void a_cancellation_gives_the_points_back_to_the_awards_its_order_drew_on()
    {
        // Q1 50, Q2 30. Order A of 60 takes Q1 50 and Q2 10; order B of 15 takes Q2 15 (5 left of Q2).
        // Cancelling A gives 50 back to Q1 and 10 to Q2: Q1 50 left, Q2 15 left, balance 80 - 60 - 15 + 60 = 65.
        Guid a = Guid.NewGuid(), b = Guid.NewGuid();
        var volunteer = Fold(Enrolled(), Award(Q1, 50), Award(Q2, 30));
        volunteer = Volunteer.Evolve(volunteer, Spend(volunteer, a, 60))!;
        volunteer = Volunteer.Evolve(volunteer, Spend(volunteer, b, 15))!;
        Assert.That(volunteer.Points.Awards.Select(h => h.Remaining), Is.EqualTo(new[] { 0, 5 }));

        var restored = Restore(volunteer, a, 60);
        var after = Volunteer.Evolve(volunteer, restored)!;

        Assert.That(restored.ReturnedTo, Is.EqualTo(new[] { new AwardDraw(Q1, null, 50), new AwardDraw(Q2, null, 10) }));
        Assert.That(after.Points.Balance, Is.EqualTo(65));
        Assert.That(after.Points.Awards.Select(Holding), Is.EqualTo(new[] { (Q1, (string?)null, 50, 0, 0), (Q2, (string?)null, 15, 15, 0) }));
    }

    [Test]
    public void redemptions_and_restorations_stored_without_their_awards_are_drawn_oldest_first_as_they_fold()
    {
        // Events as an earlier version wrote them: no draws. 40 of Q1's 50 and Q2's 30: the fold draws Q1 40;
        // the restoration goes back to what the order drew (Q1 40).
        var order = Guid.NewGuid();
        var legacy = Fold(Enrolled(), Award(Q1, 50), Award(Q2, 30), new PointsRedeemed(VolunteerId, order, StationId, 40, At));
        Assert.That(legacy.Points.Awards.Select(Holding), Is.EqualTo(new[] { (Q1, (string?)null, 10, 40, 0), (Q2, (string?)null, 30, 0, 0) }));

        var restored = Volunteer.Evolve(legacy, new PointsRestored(VolunteerId, order, StationId, 40, OrderEndReason.Returned, At))!;
        Assert.That((restored.Points.Balance, restored.Points.Awards[0].Remaining), Is.EqualTo((80, 50)));
    }

    [Test]
    public void a_move_carries_each_awards_unspent_points_and_the_award_keeps_its_quarter_in_the_new_community()
    {
        // At home: Q1 50 with 20 spent (30 left), Q2 30. The move takes 60 points, 30 of Q1 and 30 of Q2, named
        // by the community that awarded them. In the new community, expiring after one quarter, Q2's closing takes Q1's 30.
        var home = Community.Started(new CommunityRegistered(CommunityCode.StreamId("home"), "home", "家", "Asia/Shanghai", "office-01", At));
        var next = Community.Started(new CommunityRegistered(CommunityCode.StreamId("next"), "next", "新", "Asia/Shanghai", "office-01", At));
        var volunteer = Fold(Enrolled(), Award(Q1, 50), Award(Q2, 30));
        volunteer = Volunteer.Evolve(volunteer, Spend(volunteer, Guid.NewGuid(), 20))!;
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(At);

        var left = VolunteerTransfers.Leave(volunteer, home, next, "next", Guid.NewGuid(), "office-01", clock).Event!;
        var arrived = VolunteerTransfers.Arrive(left, volunteer, home, next, clock);
        var gone = Volunteer.Evolve(volunteer, left)!;
        var there = Volunteer.Evolve(null, arrived)!;

        Assert.That((left.Points, left.PointsCarried), Is.EqualTo((60, new[] { new AwardDraw(Q1, "home", 30), new AwardDraw(Q2, "home", 30) })));
        Assert.That((gone.Points.Balance, gone.Points.TransferredOut, gone.Points.Awards.Sum(h => h.Remaining)), Is.EqualTo((0, 60, 0)));
        Assert.That((there.Points.Balance, there.Points.TransferredIn), Is.EqualTo((60, 60)));
        var expired = PointsExpiry.Expire(there.Id, there.Points, Q2, 1, "office-01", At)!;
        Assert.That(expired.Awards.Single(), Is.EqualTo(new AwardDraw(Q1, "home", 30)));
    }

    [Test]
    public void a_closing_awards_the_quarter_then_expires_from_the_stream_it_was_decided_on()
    {
        // Q1 awarded 50, 35 spent. Closing Q2 under rules that expire points after one quarter: the award of Q2
        // is 0 (nothing served), then the 15 left of Q1 expire.
        var volunteer = Fold(Enrolled(), Award(Q1, 50));
        var stream = new List<object> { Enrolled(), Award(Q1, 50), Spend(volunteer, Guid.NewGuid(), 35) };
        var rules = ScoringRules.Default with { PointsExpireAfterQuarters = 1 };

        var closing = QuarterClosing.Settle(stream, Q2, _ => rules, (_, _) => null, [], "office-01", At);

        Assert.That((closing.Award!.Quarter, closing.Award.Points), Is.EqualTo((Q2, 0)));
        Assert.That((closing.Expiry!.Points, closing.Expiry.ClosedQuarter), Is.EqualTo((15, Q2)));
        Assert.That(closing.Events, Is.EqualTo(new object[] { closing.Award, closing.Expiry }));
    }

    [Test]
    public void the_points_statement_shows_every_movement_with_the_running_balance()
    {
        Guid order = Guid.NewGuid(), newId = Guid.NewGuid();
        var volunteer = Fold(Enrolled(), Award(Q1, 50), Award(Q2, 30));
        var spend = Spend(volunteer, order, 35);
        volunteer = Volunteer.Evolve(volunteer, spend)!;
        var expired = PointsExpiry.Expire(VolunteerId, volunteer.Points, Q2, 1, "office-01", At)!;
        volunteer = Volunteer.Evolve(volunteer, expired)!;
        var restored = Restore(volunteer, order, 35);
        var moved = new VolunteerTransferredOut(VolunteerId, "next", newId, 0, new DateOnly(2026, 7, 2), "office-01", At, 65,
            [new AwardDraw(Q1, "home", 35), new AwardDraw(Q2, "home", 30)]);
        object[] events = [Enrolled(), Award(Q1, 50), Award(Q2, 30), spend, expired, restored, moved];

        var lines = PointsStatement.Lines(events.Select((e, i) => new AccountEvent(i + 1, At, e))).ToList();

        // v2 +50 = 50; v3 +30 = 80; v4 spend 35 from Q1 = 45; v5 Q1's 15 left expire = 30; v6 the order cancelled,
        // 35 back to Q1 = 65; v7 the move takes the 65 (Q1 35, Q2 30) = 0.
        Assert.That(lines.Select(l => (l.Version, l.Kind, l.Change, l.BalanceAfter)), Is.EqualTo(new[]
        {
            (2L, PointsEntryKind.Awarded, 50, 50),
            (3L, PointsEntryKind.Awarded, 30, 80),
            (4L, PointsEntryKind.Redeemed, -35, 45),
            (5L, PointsEntryKind.Expired, -15, 30),
            (6L, PointsEntryKind.Restored, 35, 65),
            (7L, PointsEntryKind.TransferredOut, -65, 0),
        }));
        Assert.That(lines.Select(l => l.Awards), Is.EqualTo(new[]
        {
            new[] { new AwardDraw(Q1, null, 50) },
            [new AwardDraw(Q2, null, 30)],
            [new AwardDraw(Q1, null, -35)],
            [new AwardDraw(Q1, null, -15)],
            [new AwardDraw(Q1, null, 35)],
            [new AwardDraw(Q1, null, -35), new AwardDraw(Q2, null, -30)],
        }));
        Assert.That((lines[2].Reference, lines[4].Reference, lines[5].Reference, lines[3].Quarter), Is.EqualTo(((Guid?)order, (Guid?)order, (Guid?)newId, (Quarter?)Q2)));
    }

    [Test]
    public void a_late_service_is_scored_with_the_rules_of_its_own_quarter_not_of_the_quarter_that_closes_it()
    {
        // Q3 pays 12 points an hour, Q4 20. An hour's visit of 15 September recorded after Q3's award is an
        // adjustment of Q4's award at Q3's rate: 60 × 12 ÷ 60 = 12 (at Q4's rate it would be 20).
        var elder = Guid.NewGuid();
        var q3Award = new PointsAwarded(VolunteerId, Q3, 0, new ScoreBreakdown([], [], 0, 0, null, 0, 0, 0, 0), "office-01", At.AddMonths(3));
        var late = new ServiceRecorded(Guid.NewGuid(), VolunteerId, [elder], "home-visit", DateTimeOffset.Parse("2026-09-15T09:00:00+08:00"), 60,
            new DateOnly(2026, 9, 15), 60, "grid-01", At.AddMonths(3).AddDays(1));
        var byQuarter = new Dictionary<Quarter, ScoringRules> { [Q3] = ScoringRules.Default with { PointsPerHour = 12 }, [Q3.Next] = ScoringRules.Default with { PointsPerHour = 20 } };

        var breakdown = QuarterlyScoring.Score([Enrolled(), q3Award, late], Q3.Next, q => byQuarter[q], (_, _) => null, [], 0);

        var line = breakdown.Services.Single();
        Assert.That((line.Adjustment, line.PointsPerHour, line.Points, breakdown.AdjustmentPoints, breakdown.Total), Is.EqualTo((true, 12, 12, 12, 12)));
    }
}
