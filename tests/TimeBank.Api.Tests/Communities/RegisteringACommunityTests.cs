using TimeBank.Api.Communities;

namespace TimeBank.Api.Tests.Communities;

public class RegisteringACommunityTests
{
    [Test]
    public async Task a_registered_community_can_be_read_back_with_its_time_zone()
    {
        var community = await Given.ACommunity(timeZone: "Asia/Urumqi");

        var read = await community.Http.GetFromJsonAsync<CommunityResponse>(community.Url(), Json.Options);

        Assert.That((read!.Code, read.Name, read.TimeZone), Is.EqualTo((community.Code, "测试社区", "Asia/Urumqi")));
        Assert.That(read.Rules.HoldExpiryHours, Is.EqualTo(72), "the default rules");
    }

    [Test]
    public async Task the_time_zone_is_asia_shanghai_unless_the_community_names_another()
    {
        var http = TestHost.Factory.CreateClient();
        var code = "t-" + Guid.NewGuid().ToString("N")[..12];

        var created = await (await http.PostAsJsonAsync("/api/v1/communities", new { code, name = "民乐社区", recordedBy = "office-01" }))
            .ReadCreated<CommunityResponse>();

        Assert.That(created.TimeZone, Is.EqualTo("Asia/Shanghai"));
    }

    [Test]
    public async Task the_same_code_cannot_be_registered_twice()
    {
        var community = await Given.ACommunity();

        var again = await community.Http.PostAsJsonAsync("/api/v1/communities", new { code = community.Code, name = "另一个", recordedBy = "office-01" });

        var problem = await again.ReadProblem(HttpStatusCode.Conflict);
        Assert.That(problem["code"]!.GetValue<string>(), Is.EqualTo("community-exists"));
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "code" }));
    }

    [Test]
    public async Task a_bad_code_or_time_zone_is_refused_with_400_naming_the_fields()
    {
        var http = TestHost.Factory.CreateClient();

        var response = await http.PostAsJsonAsync("/api/v1/communities", new { code = "Min Le", name = "民乐社区", timeZone = "Mars/Olympus", recordedBy = "office-01" });

        var problem = await response.ReadProblem(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EquivalentTo(new[] { "code", "timeZone" }));
        var notFound = await http.GetAsync("/api/v1/communities/min-le");
        await notFound.ReadProblem(HttpStatusCode.NotFound);
    }
}
