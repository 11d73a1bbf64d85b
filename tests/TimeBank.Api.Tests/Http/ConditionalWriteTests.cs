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
}
