using TimeBank.Api.Services;
using TimeBank.Api.Volunteers;

namespace TimeBank.Api.Tests.Volunteers;

/// <summary>
/// Once a volunteer has left a community, by a departure or a move, nothing new is banked for them there,
/// whatever the service's date, unless it started before they left and the community gives late records a grace period.
/// </summary>
public class DeparturesHoldTests
{
    private static Task<HttpResponseMessage> SetGrace(TestCommunity community, int days) =>
        community.Http.PostAsJsonAsync(community.Url("/rules"), new { holdExpiryHours = 72, lateRecordGraceDays = days, recordedBy = "office-01" });

    private static async Task<string> CodeOf(HttpResponseMessage response) =>
        (await response.ReadProblem(HttpStatusCode.UnprocessableEntity))["code"]!.GetValue<string>();

    [Test]
    public async Task after_a_move_the_old_community_banks_nothing_new_whatever_the_service_date()
    {
        var home = await Given.ACommunity();
        var next = await Given.ACommunity();
        var volunteer = await home.AVolunteer();
        var elder = await home.AnElder();
        await home.AService(volunteer.Id, elder.Id, "2026-11-21T09:00:00+08:00", 90);
        // The clock stands at 10:00 on 23 November in Shanghai; the move is recorded then.
        await home.Http.PostAsJsonAsync(home.Url($"/volunteers/{volunteer.Id}/transfer"), new { toCommunity = next.Code, recordedBy = "office-01" });
        var before = await home.EventCount();

        // A greeting starting after the move, and a visit of the morning before it, recorded after it.
        var greeting = await home.RecordService(volunteer.Id, elder.Id, "greeting-call", "2026-11-23T10:02:00+08:00", 10);
        var morning = await home.RecordService(volunteer.Id, elder.Id, "home-visit", "2026-11-23T07:00:00+08:00", 30);
        var batch = await home.Http.PostAsJsonAsync(home.Url("/services/batch"), new
        {
            records = new[] { new { volunteerId = volunteer.Id, elderIds = new[] { elder.Id }, serviceType = "home-visit", startedAt = "2026-11-22T15:00:00+08:00", minutes = 30, recordedBy = "grid-01" } },
        });

        Assert.That((await CodeOf(greeting), await CodeOf(morning)), Is.EqualTo(("service-after-leaving", "service-after-leaving")));
        var outcome = (await batch.Content.ReadFromJsonAsync<RecordServicesResponse>(Json.Options))!.Outcomes.Single();
        Assert.That((outcome.Outcome, outcome.Code), Is.EqualTo((RecordOutcomeKind.Refused, "service-after-leaving")));
        Assert.That(await home.EventCount(), Is.EqualTo(before), "nothing written");
        Assert.That((await home.TimeAccountOf(volunteer.Id)).Balance, Is.EqualTo(0));
    }

    [Test]
    public async Task a_service_started_before_a_departure_is_banked_only_within_the_communitys_grace_for_late_records()
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var elder = await community.AnElder();
        // The departure is dated 20 November and recorded now, 23 November 10:00 in Shanghai.
        await community.Http.PostAsJsonAsync(community.Url($"/volunteers/{volunteer.Id}/departure"), new { leftOn = "2026-11-20", reason = "moved-away", recordedBy = "grid-01" });

        // No grace (the default): even the visit of their last day is refused.
        var lastDay = await community.RecordService(volunteer.Id, elder.Id, "home-visit", "2026-11-20T15:00:00+08:00", 60);
        Assert.That(await CodeOf(lastDay), Is.EqualTo("service-after-leaving"));

        // Three days of grace: the visit of their last day is banked (60 minutes), one the day after they left is not.
        Assert.That((await SetGrace(community, 3)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var late = await community.RecordService(volunteer.Id, elder.Id, "home-visit", "2026-11-20T15:00:00+08:00", 60);
        var dayAfter = await community.RecordService(volunteer.Id, elder.Id, "home-visit", "2026-11-21T09:00:00+08:00", 60);
        Assert.That(late.StatusCode, Is.EqualTo(HttpStatusCode.Created), await late.Content.ReadAsStringAsync());
        Assert.That(await CodeOf(dayAfter), Is.EqualTo("service-after-leaving"));

        // Three days after the departure was recorded the grace is over: a 45-minute visit of 19 November is refused.
        using (TestHost.Factory.Clock.Travel(TimeSpan.FromDays(3)))
        {
            var tooLate = await community.RecordService(volunteer.Id, elder.Id, "home-visit", "2026-11-19T09:00:00+08:00", 45);
            Assert.That(await CodeOf(tooLate), Is.EqualTo("service-after-leaving"));
        }

        Assert.That((await community.TimeAccountOf(volunteer.Id)).Balance, Is.EqualTo(60));
        var tooLong = await SetGrace(community, 91);
        Assert.That((await tooLong.ReadProblem(HttpStatusCode.BadRequest)).ErrorFields(), Is.EqualTo(new[] { "lateRecordGraceDays" }));
    }
}
