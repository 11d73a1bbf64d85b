using Marten;
using Marten.Events;
using TimeBank.Api.Care;
using TimeBank.Domain.Services;
using TimeBank.Samples.SampleCommunity;

namespace TimeBank.Api.Tests.Samples;

public class SampleCommunityTests
{
    [Test]
    public async Task the_sample_community_loads_through_the_api_once()
    {
        var http = TestHost.Factory.CreateClient();
        var code = "sample-" + Guid.NewGuid().ToString("N")[..8];
        var loader = new SampleCommunityLoader(TestHost.Factory.PartnerClient(), TextWriter.Null);

        // Two days up to 2026-11-23 10:00 in Shanghai: 22 November (a Sunday) and the 23rd until ten.
        var loaded = await loader.LoadAsync(code, days: 2, now: TestHost.Start);
        var again = await loader.LoadAsync(code, days: 2, now: TestHost.Start);

        Assert.That(loaded, Is.True);
        Assert.That(again, Is.False);

        // Worked out from the plan for 22 November (a Sunday) and 23 November until ten:
        // 171 elders greeted at 08:00 or 08:20 on both days: 342 calls. Sunday visits at 14:00 or 15:30 go to
        // the elders numbered 0, 7, ..., 168 (25); Monday's are still to come. The monthly service falls on the
        // 22nd for elders numbered 21 + 28k (21, 49, 77, 105, 133, 161: 6). The alliance activity is on the
        // second day at 09:30, one for each of the 90 volunteers with all their elders. No festival falls on
        // these days, and no birthday on the 22nd (it would need n % 12 = 10 and n % 28 = 21; 21 + 28k leaves 9,
        // 1 or 5 over 12); birthdays on the 23rd are at 19:00, still to come.
        await using var session = TestHost.Factory.Store.QuerySession(code);
        var services = await session.Events.QueryRawEventDataOnly<ServiceRecorded>().ToListAsync();
        Assert.That(services.Count(s => s.ServiceType == "greeting-call"), Is.EqualTo(342));
        Assert.That(services.Count(s => s.ServiceType == "home-visit"), Is.EqualTo(25));
        Assert.That(services.Count(s => s.ServiceType is "haircut-shave" or "cleaning-laundry"), Is.EqualTo(6));
        Assert.That(services.Count(s => s.ServiceType == "alliance-activity"), Is.EqualTo(90));
        Assert.That(services.Where(s => s.ServiceType == "alliance-activity").Sum(s => s.ElderIds.Count), Is.EqualTo(171));
        Assert.That(services.Sum(s => s.MinutesBanked), Is.EqualTo((342 * 10) + (25 * 60) + (6 * 60) + (90 * 120)));
        // The community, 6 grid workers, 171 elders, 90 volunteers, 171 pairings and 463 services.
        Assert.That(await session.Events.QueryAllRawEvents().CountAsync(), Is.EqualTo(1 + 6 + 171 + 90 + 171 + 463));

        // The overdue list at 10:00 on Monday the 23rd. Everyone was greeted this morning, and this week's
        // visits are still to come, so all 171 are on it. Pairings began on 23 October: the first whole week
        // owed is that of 26 October, the first month November. Never visited (146): waiting since 26 October.
        // Visited on Sunday (25): the six of them who also had November's service (21, 49, ..., 161 are
        // multiples of 7) wait only since today; the other 19 wait for November's service since the 1st.
        await TestHost.Factory.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        var overdue = (await http.GetFromJsonAsync<OverdueResponse>($"/api/v1/communities/{code}/care/overdue", Json.Options))!;
        Assert.That(overdue.Count, Is.EqualTo(171));
        Assert.That(overdue.Elders.GroupBy(e => e.WaitingSince).Select(g => (g.Key, g.Count())).ToList(), Is.EqualTo(new[]
        {
            (new DateOnly(2026, 10, 26), 146),
            (new DateOnly(2026, 11, 1), 19),
            (new DateOnly(2026, 11, 23), 6),
        }));
        Assert.That(overdue.Elders.SkipWhile(e => e.Category == Domain.Elders.CareCategory.LivingAlone).First().WaitingSince, Is.EqualTo(new DateOnly(2026, 10, 26)));
    }
}
