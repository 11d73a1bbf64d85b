using System.Text.Json.Nodes;

namespace TimeBank.Api.Tests.Audit;

/// <summary>Who did what: every action of one key, or one person, in a community.</summary>
public class ActorTrailTests
{
    [Test]
    public async Task the_trail_lists_the_actions_of_one_key_and_of_one_person()
    {
        var community = await Given.ACommunity();
        var issued = await community.AKey("社区系统", "recorder");
        var partner = TestHost.Factory.WithKey(issued.Key);
        var volunteer = await community.AVolunteer();
        var elder = await community.AnElder();
        partner.DefaultRequestHeaders.Add("X-Correlation-Id", "nightly-sync-42");
        var byPartner = await partner.PostAsJsonAsync(community.Url("/services"),
            new { volunteerId = volunteer.Id, elderIds = new[] { elder.Id }, serviceType = "home-visit", startedAt = "2026-11-02T09:00:00+08:00", minutes = 60, recordedBy = "grid-07" });
        Assert.That(byPartner.StatusCode, Is.EqualTo(HttpStatusCode.Created));

        var ofKey = JsonNode.Parse(await community.Http.GetStringAsync(community.Url($"/audit/actions?partnerKey={issued.KeyId}")))!["items"]!.AsArray();
        Assert.That(ofKey.Select(a => (a!["type"]!.GetValue<string>(), a["partner"]!.GetValue<string>(), a["person"]!.GetValue<string>(), a["correlationId"]!.GetValue<string>())),
            Is.EqualTo(new[] { ("service_recorded", "社区系统", "grid-07", "nightly-sync-42") }));

        // grid-01 enrolled the volunteer and registered the elder, with the suite's own key.
        var ofPerson = JsonNode.Parse(await community.Http.GetStringAsync(community.Url("/audit/actions?person=grid-01")))!["items"]!.AsArray();
        Assert.That(ofPerson.Select(a => a!["type"]!.GetValue<string>()), Is.EqualTo(new[] { "volunteer_enrolled", "elder_registered" }));

        var neither = await community.Http.GetAsync(community.Url("/audit/actions"));
        Assert.That((await neither.ReadProblem(HttpStatusCode.BadRequest)).ErrorFields(), Is.EqualTo(new[] { "partnerKey" }));
        var recorderOnly = await partner.GetAsync(community.Url($"/audit/actions?partnerKey={issued.KeyId}"));
        Assert.That(recorderOnly.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }
}
