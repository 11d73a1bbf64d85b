using TimeBank.Domain.Communities;
using TimeBank.Domain.Services;

namespace TimeBank.Domain.Tests.Communities;

public class CommunityTotalsTests
{
    private static ServiceRecorded Served(DateOnly day, int minutes) => new(
        Guid.CreateVersion7(), Guid.CreateVersion7(), [Guid.CreateVersion7()], "visit", new DateTimeOffset(day, new TimeOnly(9, 0), TimeSpan.FromHours(8)), minutes, day, minutes, "grid-01", DateTimeOffset.UnixEpoch);

    [Test]
    public void a_communitys_minutes_are_kept_by_month_in_calendar_order_whatever_the_order_recorded()
    {
        var totals = new object[]
        {
            Served(new DateOnly(2026, 5, 1), 60),
            Served(new DateOnly(2025, 12, 31), 30),
            Served(new DateOnly(2026, 5, 31), 15),
            Served(new DateOnly(2026, 1, 1), 45),
        }.Aggregate((CommunityTotals?)null, (t, e) => CommunityTotals.Evolve(t, e))!;

        Assert.That(totals.ByMonth, Is.EqualTo(new[]
        {
            new MonthlyMinutes("2025-12", 1, 30),
            new MonthlyMinutes("2026-01", 1, 45),
            new MonthlyMinutes("2026-05", 2, 75),
        }));
    }
}
