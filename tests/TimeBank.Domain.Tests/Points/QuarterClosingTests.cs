using TimeBank.Domain.Communities;
using TimeBank.Domain.Elders;
using TimeBank.Domain.Points;
using TimeBank.Domain.Services;
using TimeBank.Domain.Volunteers;

namespace TimeBank.Domain.Tests.Points;

public class QuarterClosingTests
{
    private static readonly DateTimeOffset ClosedAt = DateTimeOffset.Parse("2026-10-02T09:00:00+08:00");
    private static readonly Quarter Q3 = new(2026, 3);
    private static readonly Community Minle = Community.Started(
        new CommunityRegistered(CommunityCode.StreamId("minle"), "minle", "民乐社区", "Asia/Shanghai", "office-01", ClosedAt));
    private static readonly Guid Alone = Guid.NewGuid();

    private static object[] Serving(Guid volunteerId, DateOnly enrolledOn, params int[] visitMinutes) =>
    [
        new VolunteerEnrolled(volunteerId, "general-care", enrolledOn, null, "grid-01", ClosedAt.AddMonths(-6)),
        .. visitMinutes.Select((minutes, i) => new ServiceRecorded(Guid.NewGuid(), volunteerId, [Alone], "home-visit",
            DateTimeOffset.Parse($"2026-08-{10 + i:00}T09:00:00+08:00"), minutes, new DateOnly(2026, 8, 10 + i), minutes, "grid-01", DateTimeOffset.Parse($"2026-08-{10 + i:00}T11:00:00+08:00"))),
    ];

    [Test]
    public void a_closing_awards_every_volunteer_of_the_quarter_in_the_order_of_their_ids_and_counts_them()
    {
        // The default rules: 10 points an hour, 120% for an elder living alone. One volunteer visited for 60 and 30
        // minutes: 12 + 6 = 18. Another for 90: 18. A third enrolled after the quarter and did nothing in it: no award.
        Guid first = Guid.Parse("00000000-0000-0000-0000-000000000001"), second = Guid.Parse("00000000-0000-0000-0000-000000000002"), later = Guid.NewGuid();
        var streams = new Dictionary<Guid, IReadOnlyList<object>>
        {
            [second] = Serving(second, new DateOnly(2026, 1, 5), 90),
            [later] = Serving(later, new DateOnly(2026, 10, 1)),
            [first] = Serving(first, new DateOnly(2026, 1, 5), 60, 30),
        };

        var settlement = QuarterClosing.Close(Minle, Q3, streams, (elder, _) => elder == Alone ? CareCategory.LivingAlone : null,
            Array.Empty<TimeBank.Domain.Care.OwedPeriod>().ToLookup(o => o.Pairing.VolunteerId), "office-01", ClosedAt);

        Assert.That(settlement.Volunteers.Select(v => (v.VolunteerId, v.Closing.Award!.Points)), Is.EqualTo(new[] { (first, 18), (second, 18) }));
        Assert.That(settlement.Closed, Is.EqualTo(new QuarterClosed(Minle.Id, Q3, 2, 36, "office-01", ClosedAt, 0)));
    }
}
