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
    public async Task the_daily_cap_counts_the_communitys_day_not_the_utc_day_and_not_a_reversed_service()
    {
        var community = await Given.ACommunity();
        await community.CapDailyMinutes(120);
        var volunteer = await community.AVolunteer();
        var elder = await community.AnElder();

        // 22 November in Shanghai: 07:00 is still 21 November in UTC, 10:00 is 22 November in UTC. Both count
        // against the 22nd's 120 minutes: 90, then 30 of 60. The evening before is the 21st's, banked whole.
        var morning = await community.AService(volunteer.Id, elder.Id, "2026-11-22T07:00:00+08:00", 90);
        var lateMorning = await community.AService(volunteer.Id, elder.Id, "2026-11-22T10:00:00+08:00", 60);
        var eveningBefore = await community.AService(volunteer.Id, elder.Id, "2026-11-21T22:00:00+08:00", 60);
        Assert.That((morning.MinutesBanked, lateMorning.MinutesBanked, eveningBefore.MinutesBanked), Is.EqualTo((90, 30, 60)));

        // Reversed, the morning's 90 no longer count: of the next 60, 60 fit under 120 - 30.
        var reversal = await community.Http.PostAsJsonAsync(community.Url($"/services/{morning.ServiceId}/reversal"), new { reason = "wrong-duration", recordedBy = "grid-01" });
        Assert.That(reversal.StatusCode, Is.EqualTo(HttpStatusCode.OK), await reversal.Content.ReadAsStringAsync());
        var afternoon = await community.AService(volunteer.Id, elder.Id, "2026-11-22T14:00:00+08:00", 60);
        Assert.That(afternoon.MinutesBanked, Is.EqualTo(60));
        var account = await community.TimeAccountOf(volunteer.Id);
        Assert.That((account.Deposited, account.Reversed, account.Balance), Is.EqualTo((90 + 30 + 60 + 60, 90, 30 + 60 + 60)));
    }

    [Test]
    public async Task simultaneous_services_of_one_volunteer_are_each_decided_and_all_banked()
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var elder = await community.AnElder();

        // Ten ten-minute calls an hour apart on 22 November, all sent at once: each write that loses the race to
        // the account is decided again, and none overlaps another, so all ten are banked.
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            community.RecordService(volunteer.Id, elder.Id, "greeting-call", $"2026-11-22T{8 + i:D2}:00:00+08:00", 10)));

        Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.Created));
        var account = await community.TimeAccountOf(volunteer.Id);
        Assert.That((account.Deposited, account.ServicesRecorded), Is.EqualTo((100, 10)));
    }

    [TestCase(2)]
    [TestCase(10)]
    public async Task one_service_sent_many_times_at_once_under_its_id_is_banked_once_and_every_answer_is_that_service(int copies)
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var elder = await community.AnElder();
        var serviceId = Guid.CreateVersion7();

        var responses = await Task.WhenAll(Enumerable.Range(0, copies).Select(_ =>
            community.RecordService(volunteer.Id, elder.Id, "home-visit", "2026-11-22T09:00:00+08:00", 60, serviceId)));

        // One copy records it (201); every other finds it recorded and answers it again (200).
        Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Created), Is.EqualTo(1));
        Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.OK), Is.EqualTo(copies - 1));
        foreach (var response in responses)
        {
            Assert.That((await response.Content.ReadFromJsonAsync<ServiceResponse>(Json.Options))!.ServiceId, Is.EqualTo(serviceId));
        }

        var account = await community.TimeAccountOf(volunteer.Id);
        Assert.That((account.Deposited, account.ServicesRecorded), Is.EqualTo((60, 1)));
    }

    /// <summary>
    /// One service id sent at the same moment for two volunteers: their streams do not race, but the service's
    /// record does. The second insert of the record is refused by its table, that request is decided again, and
    /// it finds the id taken by the other volunteer's service.
    /// </summary>
    [TestCase(2)]
    [TestCase(10)]
    public async Task one_service_id_sent_at_once_for_different_volunteers_is_recorded_for_one_of_them(int volunteers)
    {
        var community = await Given.ACommunity();
        var elder = await community.AnElder();
        var people = new List<Guid>();
        for (var i = 0; i < volunteers; i++) people.Add((await community.AVolunteer()).Id);
        var serviceId = Guid.CreateVersion7();

        var responses = await Task.WhenAll(people.Select(v => community.RecordService(v, elder.Id, "home-visit", "2026-11-22T09:00:00+08:00", 60, serviceId)));

        Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Created), Is.EqualTo(1), string.Join(", ", responses.Select(r => (int)r.StatusCode)));
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            Assert.That((await refused.ReadProblem(HttpStatusCode.Conflict))["code"]!.GetValue<string>(), Is.EqualTo("service-id-taken"));
        }

        var deposited = 0;
        foreach (var v in people) deposited += (await community.TimeAccountOf(v)).Deposited;
        Assert.That(deposited, Is.EqualTo(60));
    }
}
