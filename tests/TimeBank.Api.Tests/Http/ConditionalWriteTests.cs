namespace TimeBank.Api.Tests.Http;

/// <summary>A change sent with the ETag it was decided on is made only if nothing changed meanwhile.</summary>
public class ConditionalWriteTests
{
    private static HttpRequestMessage SetRules(TestCommunity community, string? ifMatch, int dailyCap) =>
        new(HttpMethod.Post, community.Url("/rules"))
        {
            Headers = { { "If-Match", ifMatch ?? "*" } },
            Content = JsonContent.Create(new { dailyBankedMinutesCap = dailyCap, holdExpiryHours = 72, giftsToFamilyAllowed = false, recordedBy = "office-01" }),
        };

    [Test]
    public async Task a_change_on_a_stale_version_answers_412_and_writes_nothing()
    {
        var community = await Given.ACommunity();
        var read = await community.Http.GetAsync(community.Url());
        var etag = read.Headers.ETag!.Tag;

        var first = await community.Http.SendAsync(SetRules(community, etag, 480));
        var events = await community.EventCount();
        var second = await community.Http.SendAsync(SetRules(community, etag, 300));

        // Registered: version 1; the rules set: version 2.
        Assert.That((etag, first.StatusCode, first.Headers.ETag!.Tag), Is.EqualTo(("\"1\"", HttpStatusCode.OK, "\"2\"")));
        var problem = await second.ReadProblem(HttpStatusCode.PreconditionFailed);
        Assert.That((problem["code"]!.GetValue<string>(), second.Headers.ETag!.Tag), Is.EqualTo(("stale-version", "\"2\"")));
        Assert.That(await community.EventCount(), Is.EqualTo(events));
    }

    [Test]
    public async Task the_station_and_the_elder_carry_their_versions_too()
    {
        var community = await Given.ACommunity();
        var elder = await community.AnElder("poor");
        var station = await (await community.Http.PostAsJsonAsync(community.Url("/stations"), new { name = "实践站", recordedBy = "office-01" }))
            .ReadCreated<TimeBank.Api.Store.StationResponse>();

        var elderRead = await community.Http.GetAsync(community.Url($"/elders/{elder.Id}"));
        var stale = new HttpRequestMessage(HttpMethod.Post, community.Url($"/elders/{elder.Id}/care-category"))
        {
            Headers = { { "If-Match", "\"5\"" } },
            Content = JsonContent.Create(new { careCategory = "disabled", recordedBy = "grid-01" }),
        };
        var stationRead = await community.Http.GetAsync(community.Url($"/stations/{station.StationId}"));
        var garbled = new HttpRequestMessage(HttpMethod.Post, community.Url($"/stations/{station.StationId}/items"))
        {
            Content = JsonContent.Create(new { name = "挂面", unit = "包", pricePoints = 10, stock = 5, recordedBy = "store-01" }),
        };
        garbled.Headers.TryAddWithoutValidation("If-Match", "version one");

        Assert.That((elderRead.Headers.ETag!.Tag, stationRead.Headers.ETag!.Tag), Is.EqualTo(("\"1\"", "\"1\"")));
        await (await community.Http.SendAsync(stale)).ReadProblem(HttpStatusCode.PreconditionFailed);
        Assert.That((await (await community.Http.SendAsync(garbled)).ReadProblem(HttpStatusCode.BadRequest)).ErrorFields(), Is.EqualTo(new[] { "If-Match" }));
    }

    private static HttpRequestMessage Post(string url, string ifMatch, object body) =>
        new(HttpMethod.Post, url) { Headers = { { "If-Match", ifMatch } }, Content = JsonContent.Create(body) };

    [Test]
    public async Task a_volunteers_status_change_is_made_only_on_the_version_it_was_decided_on()
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var url = community.Url($"/volunteers/{volunteer.Id}");

        var read = await community.Http.GetAsync(url);
        var etag = read.Headers.ETag!.Tag;
        var paused = await community.Http.SendAsync(Post($"{url}/pause", etag, new { reason = "health", recordedBy = "grid-01" }));
        var events = await community.EventCount();
        // A second office, still holding the first read, decides the volunteer leaves.
        var left = await community.Http.SendAsync(Post($"{url}/departure", etag, new { reason = "moved-away", recordedBy = "grid-02" }));

        // Enrolled: version 1; paused: version 2.
        Assert.That((etag, paused.StatusCode, paused.Headers.ETag!.Tag), Is.EqualTo(("\"1\"", HttpStatusCode.OK, "\"2\"")));
        Assert.That((await left.ReadProblem(HttpStatusCode.PreconditionFailed))["code"]!.GetValue<string>(), Is.EqualTo("stale-version"));
        Assert.That(await community.EventCount(), Is.EqualTo(events));
        var resumed = await community.Http.SendAsync(Post($"{url}/resume", "\"2\"", new { recordedBy = "grid-01" }));
        Assert.That((resumed.StatusCode, resumed.Headers.ETag!.Tag), Is.EqualTo((HttpStatusCode.OK, "\"3\"")));
    }

    [Test]
    public async Task a_pairing_carries_its_elders_version_and_is_ended_only_on_it()
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var elder = await community.AnElder();

        // The elder was read at version 1 (registered); pairing on a stale version is refused.
        var stalePairing = await community.Http.SendAsync(Post(community.Url("/pairings"), "\"0\"",
            new { volunteerId = volunteer.Id, elderId = elder.Id, basis = "proximity", recordedBy = "grid-01" }));
        await stalePairing.ReadProblem(HttpStatusCode.PreconditionFailed);
        var paired = await community.Http.SendAsync(Post(community.Url("/pairings"), "\"1\"",
            new { volunteerId = volunteer.Id, elderId = elder.Id, basis = "proximity", recordedBy = "grid-01" }));
        var pairing = await paired.ReadCreated<TimeBank.Api.Pairings.PairingResponse>();
        var read = await community.Http.GetAsync(community.Url($"/pairings/{pairing.PairingId}"));

        Assert.That((paired.Headers.ETag!.Tag, read.Headers.ETag!.Tag), Is.EqualTo(("\"2\"", "\"2\"")));
        var staleEnd = await community.Http.SendAsync(Post(community.Url($"/pairings/{pairing.PairingId}/end"), "\"1\"", new { reason = "elder-moved-away", recordedBy = "grid-01" }));
        await staleEnd.ReadProblem(HttpStatusCode.PreconditionFailed);
        var ended = await community.Http.SendAsync(Post(community.Url($"/pairings/{pairing.PairingId}/end"), "\"2\"", new { reason = "elder-moved-away", recordedBy = "grid-01" }));
        Assert.That((ended.StatusCode, ended.Headers.ETag!.Tag), Is.EqualTo((HttpStatusCode.OK, "\"3\"")));
    }
}
