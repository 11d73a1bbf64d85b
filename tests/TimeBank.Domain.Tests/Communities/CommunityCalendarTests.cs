using Microsoft.Extensions.Time.Testing;
using TimeBank.Domain.Communities;

namespace TimeBank.Domain.Tests.Communities;

public class CommunityCalendarTests
{
    private static readonly CommunityCalendar Shanghai = CommunityCalendar.For(CommunityCalendar.DefaultTimeZoneId);

    [Test]
    public void a_moment_after_midnight_in_shanghai_belongs_to_the_new_day_and_quarter_although_utc_is_still_in_the_old_one()
    {
        // 2026-03-31 16:30 UTC is 2026-04-01 00:30 in Shanghai (UTC+8).
        var instant = new DateTimeOffset(2026, 3, 31, 16, 30, 0, TimeSpan.Zero);
        Assert.Multiple(() =>
        {
            Assert.That(Shanghai.DayOf(instant), Is.EqualTo(new DateOnly(2026, 4, 1)));
            Assert.That(Shanghai.QuarterOf(instant), Is.EqualTo(new Quarter(2026, 2)));
        });
    }

    [Test]
    public void a_moment_just_before_midnight_in_shanghai_stays_in_the_old_day()
    {
        // 2026-03-31 15:59 UTC is 23:59 the same day in Shanghai.
        var instant = new DateTimeOffset(2026, 3, 31, 15, 59, 0, TimeSpan.Zero);
        Assert.That(Shanghai.DayOf(instant), Is.EqualTo(new DateOnly(2026, 3, 31)));
        Assert.That(Shanghai.QuarterOf(instant), Is.EqualTo(new Quarter(2026, 1)));
    }

    [Test]
    public void today_is_the_community_day_of_the_clock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 20, 0, 0, TimeSpan.Zero));
        Assert.That(Shanghai.Today(clock), Is.EqualTo(new DateOnly(2026, 11, 23)));
        Assert.That(CommunityCalendar.For("Europe/London").Today(clock), Is.EqualTo(new DateOnly(2026, 11, 22)));
    }

    [TestCase("Asia/Shanghai", true)]
    [TestCase("Asia/Urumqi", true)]
    [TestCase("Mars/Olympus", false)]
    [TestCase("", false)]
    public void knows_iana_time_zones(string zone, bool known) =>
        Assert.That(CommunityCalendar.IsKnownTimeZone(zone), Is.EqualTo(known));
}
