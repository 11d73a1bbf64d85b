using Marten;
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
        var loader = new SampleCommunityLoader(http, TextWriter.Null);

        // Two days up to 2026-11-23 10:00 in Shanghai: 22 November (a Sunday) and the 23rd until ten.
        var loaded = await loader.LoadAsync(code, days: 2, now: TestHost.Start);
        var again = await loader.LoadAsync(code, days: 2, now: TestHost.Start);

        Assert.That(loaded, Is.True);
        Assert.That(again, Is.False);

        // Worked out from the plan for 22 November (a Sunday) and 23 November until ten:
        // 171 elders greeted at 08:00 or 08:20 on both days: 342 calls. Sunday visits at 14:00 or 15:30 go to
        // the elders numbered 0, 7, ..., 168 (25); Monday's are still to come. The monthly service falls on the
        // 22nd for elders numbered 21 + 28k (21, 49, 77, 105, 133, 161: 6). The alliance activity is on the
        // second day at 09:30, one for each of the 90 volunteers with all their elders.
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
    }
}
