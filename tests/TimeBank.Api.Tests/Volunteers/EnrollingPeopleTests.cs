using TimeBank.Api.Elders;
using TimeBank.Api.Volunteers;
using TimeBank.Domain.Elders;
using TimeBank.Domain.Volunteers;

namespace TimeBank.Api.Tests.Volunteers;

public class EnrollingPeopleTests
{
    [Test]
    public async Task an_enrolled_volunteer_reads_back_active_in_their_team_with_an_empty_time_account()
    {
        var community = await Given.ACommunity();

        var enrolled = await community.AVolunteer(team: "smartphone-tutoring", enrolledOn: "2026-03-01");
        var read = await community.Http.GetFromJsonAsync<VolunteerResponse>(community.Url($"/volunteers/{enrolled.Id}"), Json.Options);

        Assert.That(read, Is.EqualTo(enrolled));
        Assert.That(read!.Status, Is.EqualTo(VolunteerStatus.Active));
        Assert.That(read.Team, Is.EqualTo("smartphone-tutoring"));
        Assert.That(read.EnrolledOn, Is.EqualTo(new DateOnly(2026, 3, 1)));
        Assert.That((await community.TimeAccountOf(enrolled.Id)).Balance, Is.Zero);
    }

    [Test]
    public async Task a_volunteer_cannot_be_enrolled_after_today_in_the_community()
    {
        var community = await Given.ACommunity();
        var before = await community.EventCount();

        // The service's clock says 2026-11-23 in Shanghai.
        var response = await community.Http.PostAsJsonAsync(community.Url("/volunteers"), new { name = "赵明", team = "arts", enrolledOn = "2026-11-24", recordedBy = "grid-01" });

        Assert.That((await response.ReadProblem(HttpStatusCode.UnprocessableEntity)).ErrorFields(), Is.EqualTo(new[] { "enrolledOn" }));
        Assert.That(await community.EventCount(), Is.EqualTo(before));
    }

    [Test]
    public async Task an_elder_is_registered_in_a_care_category()
    {
        var community = await Given.ACommunity();

        var elder = await community.AnElder(careCategory: "disabled");
        var read = await community.Http.GetFromJsonAsync<ElderResponse>(community.Url($"/elders/{elder.Id}"), Json.Options);

        Assert.That(read!.CareCategory, Is.EqualTo(CareCategory.Disabled));
        Assert.That(read.RegisteredOn, Is.EqualTo(new DateOnly(2026, 11, 23)));
    }

    [Test]
    public async Task an_unknown_care_category_or_missing_name_is_refused_with_400()
    {
        var community = await Given.ACommunity();
        var before = await community.EventCount();

        var unknown = await community.Http.PostAsJsonAsync(community.Url("/elders"), new { name = "李大爷", careCategory = "wealthy", recordedBy = "grid-01" });
        var nameless = await community.Http.PostAsJsonAsync(community.Url("/elders"), new { careCategory = "poor", phone = "12", recordedBy = "grid-01" });

        Assert.That((await unknown.ReadProblem(HttpStatusCode.BadRequest)).ErrorFields(), Is.EqualTo(new[] { "careCategory" }));
        Assert.That((await nameless.ReadProblem(HttpStatusCode.BadRequest)).ErrorFields(), Is.EquivalentTo(new[] { "name", "phone" }));
        Assert.That(await community.EventCount(), Is.EqualTo(before));
    }
}
