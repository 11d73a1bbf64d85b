using Microsoft.Extensions.DependencyInjection;
using TimeBank.Api.Families;
using TimeBank.Api.TimeAccounts;
using TimeBank.Api.Volunteers;
using TimeBank.Domain.TimeAccounts;
using Wolverine;

namespace TimeBank.Api.Tests.TimeAccounts;

public class TimeSavingsTests
{
    [Test]
    public async Task a_request_holds_minutes_and_its_delivery_spends_them_while_the_provider_banks_the_service()
    {
        var community = await Given.ACommunity();
        var saver = await community.AVolunteer();
        var provider = await community.AVolunteer();
        var elder = await community.AnElder();
        await community.AService(saver.Id, elder.Id, "2026-11-20T09:00:00+08:00", 180);

        var request = await (await RequestService(community, saver.Id, minutes: 120)).ReadCreated<TimeSavingsRequestResponse>();
        var whileHeld = await community.TimeAccountOf(saver.Id);
        var delivery = await community.Http.PostAsJsonAsync(community.Url($"/time-savings/{request.RequestId}/delivery"), new
        {
            providerVolunteerId = provider.Id,
            startedAt = "2026-11-22T09:00:00+08:00",
            minutes = 100,
            recordedBy = "grid-01",
        });

        // 180 banked; 120 held (balance still 180, 60 available); 100 delivered: 100 spent, 20 released.
        Assert.That((whileHeld.Balance, whileHeld.Held, whileHeld.Available), Is.EqualTo((180, 120, 60)));
        Assert.That(delivery.StatusCode, Is.EqualTo(HttpStatusCode.OK), await delivery.Content.ReadAsStringAsync());
        var after = await community.TimeAccountOf(saver.Id);
        Assert.That((after.Spent, after.Held, after.Balance, after.Available), Is.EqualTo((100, 0, 80, 80)));
        Assert.That((await community.TimeAccountOf(provider.Id)).Balance, Is.EqualTo(100), "the provider banks the 100 minutes they served");
        var read = await community.Http.GetFromJsonAsync<TimeSavingsRequestResponse>(community.Url($"/time-savings/{request.RequestId}"), Json.Options);
        Assert.That((read!.Status, read.MinutesSpent, read.ProviderVolunteerId), Is.EqualTo((TimeSavingsStatus.Delivered, 100, (Guid?)provider.Id)));
    }

    [Test]
    public async Task cancelling_releases_the_hold_and_a_closed_request_cannot_be_delivered()
    {
        var community = await Given.ACommunity();
        var saver = await community.AVolunteer();
        var provider = await community.AVolunteer();
        var elder = await community.AnElder();
        await community.AService(saver.Id, elder.Id, "2026-11-20T09:00:00+08:00", 60);
        var request = await (await RequestService(community, saver.Id, minutes: 60)).ReadCreated<TimeSavingsRequestResponse>();

        var cancelled = await community.Http.PostAsJsonAsync(community.Url($"/time-savings/{request.RequestId}/cancellation"), new { recordedBy = "self" });
        var late = await community.Http.PostAsJsonAsync(community.Url($"/time-savings/{request.RequestId}/delivery"), new
        {
            providerVolunteerId = provider.Id,
            startedAt = "2026-11-22T09:00:00+08:00",
            minutes = 30,
            recordedBy = "grid-01",
        });

        Assert.That(cancelled.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await late.ReadProblem(HttpStatusCode.Conflict))["code"]!.GetValue<string>(), Is.EqualTo("request-closed"));
        var account = await community.TimeAccountOf(saver.Id);
        Assert.That((account.Held, account.Available, account.Spent), Is.EqualTo((0, 60, 0)));
        Assert.That((await community.TimeAccountOf(provider.Id)).Balance, Is.Zero);
    }

    [Test]
    public async Task a_hold_is_released_when_its_time_runs_out_and_not_before()
    {
        var community = await Given.ACommunity();
        var saver = await community.AVolunteer();
        var elder = await community.AnElder();
        await community.AService(saver.Id, elder.Id, "2026-11-20T09:00:00+08:00", 90);
        var request = await (await RequestService(community, saver.Id, minutes: 90)).ReadCreated<TimeSavingsRequestResponse>();
        var bus = TestHost.Factory.Services.GetRequiredService<IMessageBus>();

        // The community's hold lasts 72 hours (the default).
        using (TestHost.Factory.Clock.Travel(TimeSpan.FromHours(71)))
        {
            await bus.InvokeForTenantAsync(community.Code, new ExpireTimeSavingsHold(request.RequestId));
        }

        Assert.That((await community.TimeAccountOf(saver.Id)).Held, Is.EqualTo(90));

        using (TestHost.Factory.Clock.Travel(TimeSpan.FromHours(72)))
        {
            await bus.InvokeForTenantAsync(community.Code, new ExpireTimeSavingsHold(request.RequestId));
        }

        var account = await community.TimeAccountOf(saver.Id);
        Assert.That((account.Held, account.Available), Is.EqualTo((0, 90)));
        var read = await community.Http.GetFromJsonAsync<TimeSavingsRequestResponse>(community.Url($"/time-savings/{request.RequestId}"), Json.Options);
        Assert.That(read!.Status, Is.EqualTo(TimeSavingsStatus.Expired));
    }

    [Test]
    public async Task forty_simultaneous_holds_on_a_hundred_minutes_are_each_decided_three_held_and_the_rest_refused_for_lack_of_minutes()
    {
        var community = await Given.ACommunity();
        var saver = await community.AVolunteer();
        var elder = await community.AnElder();
        await community.AService(saver.Id, elder.Id, "2026-11-20T09:00:00+08:00", 100);

        // Forty requests of 30 minutes against 100 minutes, all at once. A request that loses the race to the
        // account is decided again on what won: three are held (90 minutes), the other 37 find 10 minutes left.
        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => RequestService(community, saver.Id, minutes: 30)));

        var statuses = responses.GroupBy(r => r.StatusCode).ToDictionary(g => g.Key, g => g.Count());
        Assert.That(statuses, Is.EquivalentTo(new Dictionary<HttpStatusCode, int> { [HttpStatusCode.Created] = 3, [HttpStatusCode.UnprocessableEntity] = 37 }));
        foreach (var refused in responses.Where(r => r.StatusCode == HttpStatusCode.UnprocessableEntity))
        {
            Assert.That((await refused.ReadProblem(HttpStatusCode.UnprocessableEntity))["code"]!.GetValue<string>(), Is.EqualTo("insufficient-minutes"));
        }

        var account = await community.TimeAccountOf(saver.Id);
        Assert.That((account.Held, account.Available), Is.EqualTo((90, 10)));
    }

    [TestCase(2)]
    [TestCase(10)]
    public async Task one_delivery_sent_many_times_at_once_under_its_service_id_spends_and_banks_once(int copies)
    {
        var community = await Given.ACommunity();
        var saver = await community.AVolunteer();
        var provider = await community.AVolunteer();
        var elder = await community.AnElder();
        await community.AService(saver.Id, elder.Id, "2026-11-20T09:00:00+08:00", 180);
        var request = await (await RequestService(community, saver.Id, minutes: 120)).ReadCreated<TimeSavingsRequestResponse>();
        var serviceId = Guid.CreateVersion7();

        var deliveries = await Task.WhenAll(Enumerable.Range(0, copies).Select(_ => community.Http.PostAsJsonAsync(
            community.Url($"/time-savings/{request.RequestId}/delivery"),
            new { serviceId, providerVolunteerId = provider.Id, startedAt = "2026-11-22T09:00:00+08:00", minutes = 100, recordedBy = "grid-01" })));

        // Every copy answers the one delivery: 100 spent and 20 released from the saver's 180; 100 banked by the provider.
        foreach (var delivery in deliveries)
        {
            Assert.That(delivery.StatusCode, Is.EqualTo(HttpStatusCode.OK), await delivery.Content.ReadAsStringAsync());
            var answer = (await delivery.Content.ReadFromJsonAsync<TimeSavingsRequestResponse>(Json.Options))!;
            Assert.That((answer.Status, answer.ServiceId, answer.MinutesSpent), Is.EqualTo((TimeSavingsStatus.Delivered, (Guid?)serviceId, 100)));
        }

        var after = await community.TimeAccountOf(saver.Id);
        Assert.That((after.Spent, after.Held, after.Balance), Is.EqualTo((100, 0, 80)));
        var providerAccount = await community.TimeAccountOf(provider.Id);
        Assert.That((providerAccount.Balance, providerAccount.ServicesRecorded), Is.EqualTo((100, 1)));
    }

    [Test]
    public async Task minutes_given_to_a_family_member_can_be_spent_from_their_account()
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var provider = await community.AVolunteer();
        var elder = await community.AnElder();
        await community.AService(volunteer.Id, elder.Id, "2026-11-20T09:00:00+08:00", 120);
        var daughter = await (await community.Http.PostAsJsonAsync(community.Url("/family-members"), new { name = "王丽", relativeId = volunteer.Id, relationship = "child", recordedBy = "grid-01" }))
            .ReadCreated<FamilyMemberResponse>();

        var refused = await community.Http.PostAsJsonAsync(community.Url($"/volunteers/{volunteer.Id}/gifts"), new { familyMemberId = daughter.Id, minutes = 50, recordedBy = "self" });
        await community.Http.PostAsJsonAsync(community.Url("/rules"), new { holdExpiryHours = 72, giftsToFamilyAllowed = true, recordedBy = "office-01" });
        var given = await community.Http.PostAsJsonAsync(community.Url($"/volunteers/{volunteer.Id}/gifts"), new { familyMemberId = daughter.Id, minutes = 50, recordedBy = "self" });
        var request = await (await RequestService(community, daughter.Id, minutes: 40)).ReadCreated<TimeSavingsRequestResponse>();
        await community.Http.PostAsJsonAsync(community.Url($"/time-savings/{request.RequestId}/delivery"), new
        {
            providerVolunteerId = provider.Id,
            startedAt = "2026-11-22T09:00:00+08:00",
            minutes = 40,
            recordedBy = "grid-01",
        });

        Assert.That((await refused.ReadProblem(HttpStatusCode.UnprocessableEntity))["code"]!.GetValue<string>(), Is.EqualTo("gifts-not-allowed"));
        Assert.That((await given.Content.ReadFromJsonAsync<TimeAccountResponse>(Json.Options))!.Given, Is.EqualTo(50));
        Assert.That((await community.TimeAccountOf(volunteer.Id)).Balance, Is.EqualTo(70));
        var family = await community.Http.GetFromJsonAsync<FamilyAccountResponse>(community.Url($"/family-members/{daughter.Id}/time-account"), Json.Options);
        Assert.That(family, Is.EqualTo(new FamilyAccountResponse(daughter.Id, 50, 40, 0, 10, 10)));
    }

    [Test]
    public async Task a_family_member_asks_for_a_volunteer_only_once_the_community_approved_them()
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var elder = await community.AnElder();
        await community.AService(volunteer.Id, elder.Id, "2026-11-20T09:00:00+08:00", 60);
        var son = await (await community.Http.PostAsJsonAsync(community.Url("/family-members"), new { name = "王强", relativeId = volunteer.Id, relationship = "child", recordedBy = "grid-01" }))
            .ReadCreated<FamilyMemberResponse>();
        var body = new { accountId = volunteer.Id, serviceType = "errands", minutes = 30, proxyId = son.Id, recordedBy = "son" };

        var before = await community.Http.PostAsJsonAsync(community.Url("/time-savings"), body);
        var approval = await community.Http.PostAsJsonAsync(community.Url($"/people/{volunteer.Id}/proxies"), new { proxyId = son.Id, recordedBy = "office-01" });
        var after = await community.Http.PostAsJsonAsync(community.Url("/time-savings"), body);

        Assert.That((await before.ReadProblem(HttpStatusCode.UnprocessableEntity))["code"]!.GetValue<string>(), Is.EqualTo("not-an-approved-proxy"));
        Assert.That(approval.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await community.TimeAccountOf(volunteer.Id)).Held, Is.EqualTo(30));
    }

    private static Task<HttpResponseMessage> RequestService(TestCommunity community, Guid accountId, int minutes) =>
        community.Http.PostAsJsonAsync(community.Url("/time-savings"), new { accountId, serviceType = "cleaning-laundry", minutes, recordedBy = "self" });
}
