using Marten;
using TimeBank.Api.Families;
using TimeBank.Api.Services;
using TimeBank.Domain.Services;

namespace TimeBank.Api.Tests.Services;

public class CorrectingAndEvaluatingServicesTests
{
    [Test]
    public async Task a_reversal_takes_the_services_minutes_back_and_history_shows_both()
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var elder = await community.AnElder();
        var wrong = await community.AService(volunteer.Id, elder.Id, "2026-11-22T09:00:00+08:00", 90);
        await community.AService(volunteer.Id, elder.Id, "2026-11-22T14:00:00+08:00", 30);

        var reversal = await community.Http.PostAsJsonAsync(community.Url($"/services/{wrong.ServiceId}/reversal"), new { reason = "wrong-duration", recordedBy = "grid-01" });

        Assert.That(reversal.StatusCode, Is.EqualTo(HttpStatusCode.OK), await reversal.Content.ReadAsStringAsync());
        var account = await community.TimeAccountOf(volunteer.Id);
        // 90 + 30 deposited, the 90 reversed.
        Assert.That((account.Deposited, account.Reversed, account.Balance, account.Available), Is.EqualTo((120, 90, 30, 30)));
        var service = await community.ServiceOf(wrong.ServiceId);
        Assert.That(service.Status, Is.EqualTo(ServiceStatus.Reversed));
        Assert.That(service.ReversalReason, Is.EqualTo(ReversalReason.WrongDuration));
        Assert.That(await community.EventCount(), Is.EqualTo(1 + 1 + 1 + 2 + 1), "community, volunteer, elder, two services, one reversal");
    }

    [Test]
    public async Task a_reversed_service_cannot_be_reversed_again_and_nothing_more_is_written()
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var elder = await community.AnElder();
        var service = await community.AService(volunteer.Id, elder.Id, "2026-11-22T09:00:00+08:00", 60);
        var url = community.Url($"/services/{service.ServiceId}/reversal");
        await community.Http.PostAsJsonAsync(url, new { reason = "not-done", recordedBy = "grid-01" });
        var before = await community.EventCount();

        var again = await community.Http.PostAsJsonAsync(url, new { reason = "not-done", recordedBy = "grid-01" });

        Assert.That((await again.ReadProblem(HttpStatusCode.Conflict))["code"]!.GetValue<string>(), Is.EqualTo("already-reversed"));
        Assert.That(await community.EventCount(), Is.EqualTo(before));
        Assert.That((await community.TimeAccountOf(volunteer.Id)).Balance, Is.Zero);
    }

    [Test]
    public async Task simultaneous_reversals_of_one_service_take_its_minutes_back_once()
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var elder = await community.AnElder();
        await community.AService(volunteer.Id, elder.Id, "2026-11-21T09:00:00+08:00", 45);
        var service = await community.AService(volunteer.Id, elder.Id, "2026-11-22T09:00:00+08:00", 60);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            community.Http.PostAsJsonAsync(community.Url($"/services/{service.ServiceId}/reversal"), new { reason = "duplicate-record", recordedBy = "grid-01" })));

        Assert.That(attempts.Count(r => r.StatusCode == HttpStatusCode.OK), Is.EqualTo(1));
        Assert.That(attempts.All(r => r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict), Is.True);
        var account = await community.TimeAccountOf(volunteer.Id);
        Assert.That((account.Deposited, account.Reversed, account.Balance), Is.EqualTo((105, 60, 45)));
    }

    [Test]
    public async Task a_confirmed_service_is_settled_and_a_disputed_one_waits_for_the_grid_worker()
    {
        var community = await Given.ACommunity();
        var gridWorker = await community.AGridWorker();
        var volunteer = await community.AVolunteer();
        var elder = await community.AnElder(gridWorkerId: gridWorker.Id);
        var son = await (await community.Http.PostAsJsonAsync(community.Url("/family-members"), new { name = "李小军", relativeId = elder.Id, relationship = "child", recordedBy = "grid-01" }))
            .ReadCreated<FamilyMemberResponse>();
        var first = await community.AService(volunteer.Id, elder.Id, "2026-11-22T09:00:00+08:00", 60);
        var second = await community.AService(volunteer.Id, elder.Id, "2026-11-22T14:00:00+08:00", 60);

        var confirmed = await Evaluate(community, first.ServiceId, "confirmation", new { evaluatorRole = "elder", evaluatorId = elder.Id });
        var sonNotYetProxy = await Evaluate(community, second.ServiceId, "dispute", new { evaluatorRole = "family", evaluatorId = son.Id, reason = "shorter-than-recorded" });
        var approved = await community.Http.PostAsJsonAsync(community.Url($"/people/{elder.Id}/proxies"), new { proxyId = son.Id, recordedBy = "office-01" });
        var disputeConfirmed = await Evaluate(community, first.ServiceId, "dispute", new { evaluatorRole = "family", evaluatorId = son.Id, reason = "not-done" });
        var disputed = await Evaluate(community, second.ServiceId, "dispute", new { evaluatorRole = "family", evaluatorId = son.Id, reason = "shorter-than-recorded" });
        var elderConfirmsDisputed = await Evaluate(community, second.ServiceId, "confirmation", new { evaluatorRole = "elder", evaluatorId = elder.Id });
        var gridWorkerSettles = await Evaluate(community, second.ServiceId, "confirmation", new { evaluatorRole = "grid-worker", evaluatorId = gridWorker.Id });

        Assert.That(confirmed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await sonNotYetProxy.ReadProblem(HttpStatusCode.UnprocessableEntity))["code"]!.GetValue<string>(), Is.EqualTo("not-an-approved-proxy"));
        Assert.That(approved.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await disputeConfirmed.ReadProblem(HttpStatusCode.Conflict))["code"]!.GetValue<string>(), Is.EqualTo("already-confirmed"));
        Assert.That(disputed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await elderConfirmsDisputed.ReadProblem(HttpStatusCode.Conflict))["code"]!.GetValue<string>(), Is.EqualTo("dispute-open"));
        Assert.That(gridWorkerSettles.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await community.ServiceOf(second.ServiceId)).EvaluatedBy, Is.EqualTo(EvaluatorRole.GridWorker));
        // Evaluations move no minutes.
        Assert.That((await community.TimeAccountOf(volunteer.Id)).Balance, Is.EqualTo(120));

        await using var session = TestHost.Factory.Store.QuerySession(community.Code);
        var dispute = (await session.Events.QueryRawEventDataOnly<ServiceDisputed>().ToListAsync()).Single();
        Assert.That((dispute.EvaluatorId, dispute.ActingForElderId), Is.EqualTo((son.Id, (Guid?)elder.Id)), "the event records who acted for whom");
    }

    private static Task<HttpResponseMessage> Evaluate(TestCommunity community, Guid serviceId, string kind, object body) =>
        community.Http.PostAsJsonAsync(community.Url($"/services/{serviceId}/{kind}"), body);

    [Test]
    public async Task correcting_a_service_that_is_not_in_the_community_answers_404()
    {
        var community = await Given.ACommunity();

        var response = await community.Http.PostAsJsonAsync(community.Url($"/services/{Guid.NewGuid()}/reversal"), new { reason = "not-done", recordedBy = "grid-01" });

        Assert.That((await response.ReadProblem(HttpStatusCode.NotFound))["code"]!.GetValue<string>(), Is.EqualTo("unknown-service"));
    }
}
