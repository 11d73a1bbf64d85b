using TimeBank.Api.Services;

namespace TimeBank.Api.Tests.Services;

public class ConcurrentAndRepeatedServicesTests
{
    [Test]
    public async Task a_service_resent_under_its_id_is_answered_again_and_banked_once()
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var elder = await community.AnElder();
        var serviceId = Guid.CreateVersion7();

        var first = await community.RecordService(volunteer.Id, elder.Id, "home-visit", "2026-11-22T09:00:00+08:00", 60, serviceId);
        var retry = await community.RecordService(volunteer.Id, elder.Id, "home-visit", "2026-11-22T09:00:00+08:00", 60, serviceId);
        var other = await community.RecordService(volunteer.Id, elder.Id, "home-visit", "2026-11-22T11:00:00+08:00", 60, serviceId);

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await retry.Content.ReadFromJsonAsync<ServiceResponse>(Json.Options))!.ServiceId, Is.EqualTo(serviceId));
        Assert.That((await other.ReadProblem(HttpStatusCode.Conflict))["code"]!.GetValue<string>(), Is.EqualTo("service-id-taken"));
        Assert.That((await community.TimeAccountOf(volunteer.Id)).Deposited, Is.EqualTo(60));
    }

    [Test]
    public async Task a_volunteer_cannot_be_at_two_services_at_once()
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var elder = await community.AnElder();
        var other = await community.AnElder();
        await community.AService(volunteer.Id, elder.Id, "2026-11-22T09:00:00+08:00", 90);

        var clash = await community.RecordService(volunteer.Id, other.Id, "home-visit", "2026-11-22T10:00:00+08:00", 30);
        var afterwards = await community.RecordService(volunteer.Id, other.Id, "home-visit", "2026-11-22T10:30:00+08:00", 30);

        var problem = await clash.ReadProblem(HttpStatusCode.UnprocessableEntity);
        Assert.That(problem["code"]!.GetValue<string>(), Is.EqualTo("overlapping-service"));
        Assert.That(afterwards.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [Test]
    public async Task simultaneous_services_of_one_volunteer_never_bank_a_minute_that_was_not_acknowledged()
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var elder = await community.AnElder();

        // Ten ten-minute calls an hour apart on 22 November, all sent at once.
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            community.RecordService(volunteer.Id, elder.Id, "greeting-call", $"2026-11-22T{8 + i:D2}:00:00+08:00", 10)));

        var accepted = responses.Count(r => r.StatusCode == HttpStatusCode.Created);
        Assert.That(responses.All(r => r.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict), Is.True);
        Assert.That(accepted, Is.GreaterThanOrEqualTo(1));
        var account = await community.TimeAccountOf(volunteer.Id);
        Assert.That(account.Deposited, Is.EqualTo(accepted * 10));
        Assert.That(account.ServicesRecorded, Is.EqualTo(accepted));
    }
}
