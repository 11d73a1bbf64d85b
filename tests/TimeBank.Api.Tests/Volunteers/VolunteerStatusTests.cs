using TimeBank.Api.Volunteers;
using TimeBank.Domain.Volunteers;

namespace TimeBank.Api.Tests.Volunteers;

public class VolunteerStatusTests
{
    [Test]
    public async Task a_volunteer_pauses_resumes_and_leaves_and_no_service_after_leaving_is_banked()
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var elder = await community.AnElder();
        var url = community.Url($"/volunteers/{volunteer.Id}");

        var paused = await community.Http.PostAsJsonAsync($"{url}/pause", new { reason = "health", recordedBy = "grid-01" });
        var pausedAgain = await community.Http.PostAsJsonAsync($"{url}/pause", new { reason = "travel", recordedBy = "grid-01" });
        var resumed = await community.Http.PostAsJsonAsync($"{url}/resume", new { recordedBy = "grid-01" });
        var left = await community.Http.PostAsJsonAsync($"{url}/departure", new { leftOn = "2026-11-20", reason = "moved-away", recordedBy = "grid-01" });

        Assert.That((await paused.Content.ReadFromJsonAsync<VolunteerStanding>(Json.Options))!.Status, Is.EqualTo(VolunteerStatus.Paused));
        Assert.That((await pausedAgain.ReadProblem(HttpStatusCode.Conflict))["code"]!.GetValue<string>(), Is.EqualTo("volunteer-status"));
        Assert.That(resumed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await left.Content.ReadFromJsonAsync<VolunteerStanding>(Json.Options), Is.EqualTo(new VolunteerStanding(volunteer.Id, VolunteerStatus.Left, new DateOnly(2026, 11, 20))));

        // Recorded after the departure, with no grace for late records (the default): refused whatever the day.
        var lastDay = await community.RecordService(volunteer.Id, elder.Id, "home-visit", "2026-11-20T15:00:00+08:00", 60);
        var dayAfter = await community.RecordService(volunteer.Id, elder.Id, "home-visit", "2026-11-21T09:00:00+08:00", 60);
        Assert.That((await lastDay.ReadProblem(HttpStatusCode.UnprocessableEntity))["code"]!.GetValue<string>(), Is.EqualTo("service-after-leaving"));
        Assert.That((await dayAfter.ReadProblem(HttpStatusCode.UnprocessableEntity))["code"]!.GetValue<string>(), Is.EqualTo("service-after-leaving"));
        Assert.That((await community.TimeAccountOf(volunteer.Id)).Balance, Is.EqualTo(0));
    }

    [TestCase("\"movedAway\"")]
    [TestCase("\"MovedAway\"")]
    [TestCase("\"moved_away\"")]
    [TestCase("\"MOVED-AWAY\"")]
    [TestCase("1")]
    public async Task an_enum_is_read_only_as_the_kebab_case_value_the_document_names(string reason)
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var url = community.Url($"/volunteers/{volunteer.Id}/departure");
        var before = await community.EventCount();

        var refused = await community.Http.PostAsync(url, new StringContent(
            $$"""{"leftOn":"2026-11-20","reason":{{reason}},"recordedBy":"grid-01"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.That((await refused.ReadProblem(HttpStatusCode.BadRequest)).ErrorFields(), Is.EqualTo(new[] { "reason" }));
        Assert.That(await community.EventCount(), Is.EqualTo(before));
        var documented = await community.Http.PostAsJsonAsync(url, new { leftOn = "2026-11-20", reason = "moved-away", recordedBy = "grid-01" });
        Assert.That((await documented.Content.ReadFromJsonAsync<VolunteerStanding>(Json.Options))!.Status, Is.EqualTo(VolunteerStatus.Left));
    }
}
