using TimeBank.Api.Services;

namespace TimeBank.Api.Tests.Services;

public class RecordingAServiceTests
{
    [Test]
    public async Task the_minutes_of_each_recorded_service_are_banked_in_the_volunteers_time_account()
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var elder = await community.AnElder();

        var visit = await community.RecordService(volunteer.Id, elder.Id, "home-visit", "2026-11-22T09:00:00+08:00", 90);
        var call = await community.RecordService(volunteer.Id, elder.Id, "greeting-call", "2026-11-23T08:00:00+08:00", 15);
        await visit.ReadCreated<ServiceResponse>();
        await call.ReadCreated<ServiceResponse>();

        var account = await community.TimeAccountOf(volunteer.Id);
        // 90 + 15 minutes, two services.
        Assert.That(account.Deposited, Is.EqualTo(105));
        Assert.That(account.Balance, Is.EqualTo(105));
        Assert.That(account.Available, Is.EqualTo(105));
        Assert.That(account.ServicesRecorded, Is.EqualTo(2));
    }

    [Test]
    public async Task a_service_belongs_to_the_day_it_started_in_the_communitys_time_zone()
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var elder = await community.AnElder();

        // 16:30 UTC on 22 November is 00:30 on 23 November in Shanghai.
        var response = await community.RecordService(volunteer.Id, elder.Id, "greeting-call", "2026-11-22T16:30:00Z", 10);

        var recorded = await response.ReadCreated<ServiceResponse>();
        Assert.That(recorded.ServiceDay, Is.EqualTo(new DateOnly(2026, 11, 23)));
    }

    [Test]
    public async Task a_body_of_the_wrong_shape_is_refused_with_400_naming_every_bad_field_and_nothing_is_written()
    {
        var community = await Given.ACommunity();
        var before = await community.EventCount();

        var response = await community.Http.PostAsJsonAsync(community.Url("/services"), new { elderIds = Array.Empty<Guid>(), minutes = -5 });

        var problem = await response.ReadProblem(HttpStatusCode.BadRequest);
        Assert.That(problem["type"]!.GetValue<string>(), Is.EqualTo("urn:timebank:problem:validation"));
        Assert.That(problem.ErrorFields(), Is.EquivalentTo(new[] { "volunteerId", "elderIds", "serviceType", "startedAt", "minutes", "recordedBy" }));
        Assert.That(await community.EventCount(), Is.EqualTo(before));
    }

    [Test]
    public async Task json_the_service_cannot_read_is_refused_with_400_naming_the_field()
    {
        var community = await Given.ACommunity();
        var before = await community.EventCount();

        var wrongType = await community.Http.PostAsync(community.Url("/services"), JsonBody("""{"minutes":"ninety"}"""));
        var misspelt = await community.Http.PostAsync(community.Url("/services"), JsonBody("""{"minuts":90}"""));
        var truncated = await community.Http.PostAsync(community.Url("/services"), JsonBody("""{"minutes":9"""));
        // Without its offset a time would be read in the server's zone: refused, not guessed.
        var noOffset = await community.Http.PostAsync(community.Url("/services"), JsonBody("""{"startedAt":"2026-11-22T09:00:00","minutes":90}"""));

        Assert.That((await wrongType.ReadProblem(HttpStatusCode.BadRequest)).ErrorFields(), Is.EqualTo(new[] { "minutes" }));
        Assert.That((await misspelt.ReadProblem(HttpStatusCode.BadRequest)).ErrorFields(), Is.EqualTo(new[] { "minuts" }));
        Assert.That((await truncated.ReadProblem(HttpStatusCode.BadRequest))["code"]!.GetValue<string>(), Is.EqualTo("malformed-json"));
        Assert.That((await noOffset.ReadProblem(HttpStatusCode.BadRequest)).ErrorFields(), Is.EqualTo(new[] { "startedAt" }));
        Assert.That(await community.EventCount(), Is.EqualTo(before));
    }

    [TestCase("greeting-call", "2026-11-23T08:00:00+08:00", 61, "minutes-over-cap", "minutes")]
    [TestCase("home-visit", "2026-11-23T10:06:00+08:00", 30, "service-in-future", "startedAt")]
    [TestCase("home-visit", "2026-01-04T23:30:00+08:00", 30, "service-before-enrolment", "startedAt")]
    [TestCase("foot-spa", "2026-11-23T08:00:00+08:00", 30, "unknown-service-type", "serviceType")]
    public async Task a_service_that_breaks_a_rule_is_refused_with_422_and_nothing_is_written(
        string serviceType, string startedAt, int minutes, string code, string field)
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer(enrolledOn: "2026-01-05");
        var elder = await community.AnElder();
        var before = await community.EventCount();

        var response = await community.RecordService(volunteer.Id, elder.Id, serviceType, startedAt, minutes);

        var problem = await response.ReadProblem(HttpStatusCode.UnprocessableEntity);
        Assert.That(problem["code"]!.GetValue<string>(), Is.EqualTo(code));
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { field }));
        Assert.That(await community.EventCount(), Is.EqualTo(before));
        Assert.That((await community.TimeAccountOf(volunteer.Id)).Balance, Is.Zero);
    }

    [Test]
    public async Task volunteers_and_elders_of_another_community_are_unknown_here()
    {
        var here = await Given.ACommunity();
        var there = await Given.ACommunity();
        var volunteerHere = await here.AVolunteer();
        var elderHere = await here.AnElder();
        var volunteerThere = await there.AVolunteer();
        var elderThere = await there.AnElder();

        var foreignVolunteer = await here.RecordService(volunteerThere.Id, elderHere.Id, "home-visit", "2026-11-23T08:00:00+08:00", 30);
        var foreignElder = await here.RecordService(volunteerHere.Id, elderThere.Id, "home-visit", "2026-11-23T08:00:00+08:00", 30);

        Assert.That((await foreignVolunteer.ReadProblem(HttpStatusCode.NotFound))["code"]!.GetValue<string>(), Is.EqualTo("unknown-volunteer"));
        Assert.That((await foreignElder.ReadProblem(HttpStatusCode.NotFound))["code"]!.GetValue<string>(), Is.EqualTo("unknown-elder"));
        var readAcross = await here.Http.GetAsync(here.Url($"/volunteers/{volunteerThere.Id}/time-account"));
        await readAcross.ReadProblem(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task a_community_that_does_not_exist_answers_404()
    {
        var community = await Given.ACommunity();
        var response = await community.Http.PostAsJsonAsync("/api/v1/communities/no-such-place/services", new
        {
            volunteerId = Guid.NewGuid(),
            elderIds = new[] { Guid.NewGuid() },
            serviceType = "home-visit",
            startedAt = "2026-11-23T08:00:00+08:00",
            minutes = 30,
            recordedBy = "grid-01",
        });

        Assert.That((await response.ReadProblem(HttpStatusCode.NotFound))["code"]!.GetValue<string>(), Is.EqualTo("unknown-community"));
    }

    private static StringContent JsonBody(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
