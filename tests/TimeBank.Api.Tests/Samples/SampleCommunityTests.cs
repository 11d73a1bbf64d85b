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

        // 171 elders greeted at 08:00 or 08:20 on both days: 342 calls. Sunday visits at 14:00 go to the
        // elders numbered 0, 7, ..., 168 (25 of them); Monday's are still to come at ten.
        await using var session = TestHost.Factory.Store.QuerySession(code);
        var services = await session.Events.QueryRawEventDataOnly<ServiceRecorded>().ToListAsync();
        Assert.That(services.Count(s => s.ServiceType == "greeting-call"), Is.EqualTo(342));
        Assert.That(services.Count(s => s.ServiceType == "home-visit"), Is.EqualTo(25));
        Assert.That(services.Sum(s => s.MinutesBanked), Is.EqualTo((342 * 10) + (25 * 60)));
        Assert.That(await session.Events.QueryAllRawEvents().CountAsync(), Is.EqualTo(1 + 90 + 171 + 342 + 25));
    }
}
