using TimeBank.Domain.Services;
using TimeBank.Domain.Shared;

namespace TimeBank.Domain.Tests.Services;

public class NearbyServicesTests
{
    private static readonly Guid VolunteerId = Guid.CreateVersion7();

    private static ServiceRecord AService(DateTimeOffset startedAt, int minutes, DateOnly day, int banked) => ServiceRecord.Started(
        new ServiceRecorded(Guid.CreateVersion7(), VolunteerId, [], "home-visit", startedAt, minutes, day, banked, "grid-01", startedAt.AddHours(1)));

    [Test]
    public void the_days_a_start_may_fall_on_are_its_utc_day_and_one_either_side()
    {
        // 2026-11-22 16:30 UTC: 23 November in Shanghai (UTC+8), 22 November in Honolulu (UTC-10), 23 in Kiritimati (UTC+14).
        var start = new DateTimeOffset(2026, 11, 22, 16, 30, 0, TimeSpan.Zero);

        Assert.That(NearbyServices.CandidateDays(start), Is.EqualTo(new[] { new DateOnly(2026, 11, 21), new DateOnly(2026, 11, 22), new DateOnly(2026, 11, 23) }));
        foreach (var zone in new[] { "Asia/Shanghai", "Pacific/Honolulu", "Pacific/Kiritimati", "Etc/GMT+12" })
        {
            var local = TimeZoneInfo.ConvertTime(start, TimeZoneInfo.FindSystemTimeZoneById(zone));
            Assert.That(NearbyServices.CandidateDays(start), Does.Contain(DateOnly.FromDateTime(local.DateTime)), zone);
        }
    }

    [Test]
    public void records_are_summed_by_day_and_a_reversed_one_counts_for_nothing()
    {
        var day = new DateOnly(2026, 11, 23);
        var morning = AService(new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.FromHours(8)), 90, day, 90);
        var noon = AService(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.FromHours(8)), 45, day, 30);
        var reversed = AService(new DateTimeOffset(2026, 11, 23, 15, 0, 0, TimeSpan.FromHours(8)), 60, day, 60) with { Status = ServiceStatus.Reversed };
        var dayBefore = AService(new DateTimeOffset(2026, 11, 22, 20, 0, 0, TimeSpan.FromHours(8)), 20, day.AddDays(-1), 20);

        var nearby = NearbyServices.Of([morning, noon, reversed, dayBefore]);

        Assert.That((nearby.BankedOn(day), nearby.BankedOn(day.AddDays(-1)), nearby.BankedOn(day.AddDays(1))), Is.EqualTo((120, 20, 0)));
        Assert.That(nearby.Clash(Guid.CreateVersion7(), reversed.StartedAt, reversed.EndedAt), Is.Null, "a reversed service holds no time");
    }

    [Test]
    public void a_service_just_decided_is_counted_for_the_next_and_the_ones_before_are_unchanged()
    {
        var day = new DateOnly(2026, 11, 23);
        var morning = AService(new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.FromHours(8)), 90, day, 90);
        var before = NearbyServices.Of([morning]);

        var after = before.With(AService(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(8)), 60, day, 30));

        Assert.That((before.BankedOn(day), after.BankedOn(day)), Is.EqualTo((90, 120)));
        Assert.That(after.Clash(Guid.CreateVersion7(), new DateTimeOffset(2026, 11, 23, 9, 30, 0, TimeSpan.FromHours(8)), new DateTimeOffset(2026, 11, 23, 9, 45, 0, TimeSpan.FromHours(8)))?.Minutes, Is.EqualTo(60));
        Assert.That(after.Clash(morning.Id, morning.StartedAt, morning.EndedAt), Is.Null, "a service does not clash with itself");
    }
}
