using TimeBank.Api.Communities;
using TimeBank.Api.Services;

namespace TimeBank.Api.Tests.Communities;

public class CommunityRulesTests
{
    [Test]
    public async Task the_communitys_caps_and_non_earning_types_decide_what_is_banked()
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var elder = await community.AnElder();
        var rules = await community.Http.PostAsJsonAsync(community.Url("/rules"), new
        {
            dailyBankedMinutesCap = 100,
            nonEarningServiceTypes = new[] { "meal-delivery" },
            holdExpiryHours = 48,
            recordedBy = "office-01",
        });
        Assert.That(rules.StatusCode, Is.EqualTo(HttpStatusCode.OK), await rules.Content.ReadAsStringAsync());

        var visit = await community.AService(volunteer.Id, elder.Id, "2026-11-22T09:00:00+08:00", 90);
        var meal = await community.AService(volunteer.Id, elder.Id, "2026-11-22T11:00:00+08:00", 30, "meal-delivery");
        var errand = await community.AService(volunteer.Id, elder.Id, "2026-11-22T14:00:00+08:00", 60, "errands");
        var nextDay = await community.AService(volunteer.Id, elder.Id, "2026-11-23T08:00:00+08:00", 60, "errands");

        // The day's cap is 100: 90 for the visit, none for the meal, 10 of the errand's 60; a new day starts afresh.
        Assert.That(new[] { visit.MinutesBanked, meal.MinutesBanked, errand.MinutesBanked, nextDay.MinutesBanked }, Is.EqualTo(new[] { 90, 0, 10, 60 }));
        Assert.That((await community.TimeAccountOf(volunteer.Id)).Balance, Is.EqualTo(160));
    }

    [Test]
    public async Task a_community_adds_its_own_service_type_and_rules_must_name_known_types()
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var elder = await community.AnElder();

        var unknownInRules = await community.Http.PostAsJsonAsync(community.Url("/rules"), new { nonEarningServiceTypes = new[] { "foot-care" }, holdExpiryHours = 48, recordedBy = "office-01" });
        var added = await community.Http.PostAsJsonAsync(community.Url("/service-types"), new { code = "foot-care", chineseName = "足部护理", maxMinutes = 45, earnsMinutes = true, recordedBy = "office-01" });
        var again = await community.Http.PostAsJsonAsync(community.Url("/service-types"), new { code = "foot-care", chineseName = "足部护理", maxMinutes = 45, earnsMinutes = true, recordedBy = "office-01" });
        var footCare = await community.AService(volunteer.Id, elder.Id, "2026-11-22T09:00:00+08:00", 45, "foot-care");
        var types = await community.Http.GetFromJsonAsync<List<ServiceTypeResponse>>(community.Url("/service-types"), Json.Options);

        Assert.That((await unknownInRules.ReadProblem(HttpStatusCode.UnprocessableEntity)).ErrorFields(), Is.EqualTo(new[] { "nonEarningServiceTypes" }));
        Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await again.ReadProblem(HttpStatusCode.Conflict))["code"]!.GetValue<string>(), Is.EqualTo("service-type-exists"));
        Assert.That(footCare.MinutesBanked, Is.EqualTo(45));
        Assert.That(types!.Single(t => t.Code == "foot-care").CommunityOwn, Is.True);
        Assert.That(types!.Count, Is.EqualTo(14), "the 13 default types and the community's own");
    }
}
