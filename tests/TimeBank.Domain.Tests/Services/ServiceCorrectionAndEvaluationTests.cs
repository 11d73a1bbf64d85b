using Microsoft.Extensions.Time.Testing;
using TimeBank.Domain.Elders;
using TimeBank.Domain.Proxies;
using TimeBank.Domain.Services;
using TimeBank.Domain.Volunteers;

namespace TimeBank.Domain.Tests.Services;

public class ServiceCorrectionAndEvaluationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 2, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Now);
    private readonly Guid _volunteerId = Guid.CreateVersion7();
    private readonly Guid _son = Guid.CreateVersion7();
    private readonly Guid _gridWorker = Guid.CreateVersion7();
    private readonly Elder _elder;

    public ServiceCorrectionAndEvaluationTests()
    {
        var registered = Elder.Started(new ElderRegistered(Guid.CreateVersion7(), CareCategory.LivingAlone, null, _gridWorker, new DateOnly(2026, 1, 1), "g", Now));
        _elder = Elder.Evolve(registered, new ProxyApproved(registered.Id, _son, "office-01", Now))!;
    }

    private Evaluator TheElder => new(EvaluatorRole.Elder, _elder.Id);

    private Evaluator TheSon => new(EvaluatorRole.Family, _son);

    private Evaluator TheGridWorker => new(EvaluatorRole.GridWorker, _gridWorker);

    private ServiceRecorded AVisit(int banked) =>
        new(Guid.CreateVersion7(), _volunteerId, [_elder.Id], "home-visit", Now.AddHours(-5), banked, new DateOnly(2026, 11, 23), banked, "grid-01", Now);

    [Test]
    public void a_reversal_takes_back_exactly_the_minutes_the_service_banked()
    {
        var visit = AVisit(banked: 90);
        var volunteer = new object[]
        {
            new VolunteerEnrolled(_volunteerId, "general-care", new DateOnly(2026, 1, 1), null, "grid-01", Now),
            visit,
            AVisit(banked: 30),
        }.Aggregate((Volunteer?)null, Volunteer.Evolve)!;

        var reversed = ServiceCorrections.Reverse(ServiceRecord.Started(visit), ReversalReason.WrongDuration, "grid-01", _clock).Event!;
        var after = Volunteer.Evolve(volunteer, reversed)!;

        Assert.Multiple(() =>
        {
            Assert.That(reversed.ServiceId, Is.EqualTo(visit.ServiceId));
            Assert.That(reversed.MinutesReversed, Is.EqualTo(90));
            // 90 + 30 deposited, 90 reversed: 30 left.
            Assert.That(after.Account.Deposited, Is.EqualTo(120));
            Assert.That(after.Account.Reversed, Is.EqualTo(90));
            Assert.That(after.Account.Balance, Is.EqualTo(30));
        });
    }

    [Test]
    public void a_reversed_service_cannot_be_reversed_again()
    {
        var visit = AVisit(banked: 90);
        var record = ServiceRecord.Evolve(ServiceRecord.Started(visit), ServiceCorrections.Reverse(ServiceRecord.Started(visit), ReversalReason.NotDone, "grid-01", _clock).Event!);

        var again = ServiceCorrections.Reverse(record, ReversalReason.NotDone, "grid-01", _clock);

        Assert.That(again.Rejection!.Code, Is.EqualTo("already-reversed"));
        Assert.That(ServiceCorrections.Reverse(null, ReversalReason.NotDone, "grid-01", _clock).Rejection!.Code, Is.EqualTo("unknown-service"));
    }

    [Test]
    public void a_pending_service_can_be_confirmed_once_and_then_is_settled()
    {
        var record = ServiceRecord.Started(AVisit(banked: 60));

        var confirmed = ServiceEvaluations.Confirm(record, TheElder, [_elder], _clock).Event!;
        var after = ServiceRecord.Evolve(record, confirmed)!;

        Assert.That(after.Evaluation, Is.EqualTo(Evaluation.Confirmed));
        Assert.That(after.EvaluatedBy, Is.EqualTo(EvaluatorRole.Elder));
        Assert.That(ServiceEvaluations.Confirm(after, TheSon, [_elder], _clock).Rejection!.Code, Is.EqualTo("already-confirmed"));
        Assert.That(ServiceEvaluations.Dispute(after, TheSon, [_elder], DisputeReason.NotDone, _clock).Rejection!.Code, Is.EqualTo("already-confirmed"));
    }

    [Test]
    public void a_disputed_service_is_settled_only_by_the_grid_worker_or_a_reversal()
    {
        var record = ServiceRecord.Started(AVisit(banked: 60));
        var dispute = ServiceEvaluations.Dispute(record, TheSon, [_elder], DisputeReason.NotDone, _clock).Event!;
        var disputed = ServiceRecord.Evolve(record, dispute)!;

        Assert.That(dispute.ActingForElderId, Is.EqualTo(_elder.Id), "the son acted for the elder");
        Assert.That(disputed.Evaluation, Is.EqualTo(Evaluation.Disputed));
        Assert.That(ServiceEvaluations.Confirm(disputed, TheElder, [_elder], _clock).Rejection!.Code, Is.EqualTo("dispute-open"));
        Assert.That(ServiceEvaluations.Dispute(disputed, TheElder, [_elder], DisputeReason.NotDone, _clock).Rejection!.Code, Is.EqualTo("already-disputed"));
        Assert.That(ServiceEvaluations.Confirm(disputed, TheGridWorker, [_elder], _clock).IsAccepted, Is.True, "the elder's own grid worker settles it");
        Assert.That(ServiceCorrections.Reverse(disputed, ReversalReason.DisputeUpheld, "grid-01", _clock).IsAccepted, Is.True);
    }

    [Test]
    public void a_reversed_service_cannot_be_evaluated()
    {
        var visit = AVisit(banked: 60);
        var reversed = ServiceRecord.Evolve(ServiceRecord.Started(visit), ServiceCorrections.Reverse(ServiceRecord.Started(visit), ReversalReason.DuplicateRecord, "grid-01", _clock).Event!);

        Assert.That(ServiceEvaluations.Confirm(reversed, TheElder, [_elder], _clock).Rejection!.Code, Is.EqualTo("service-reversed"));
    }

    [Test]
    public void only_the_elder_served_or_an_approved_proxy_may_evaluate()
    {
        var record = ServiceRecord.Started(AVisit(banked: 60));
        var stranger = new Evaluator(EvaluatorRole.Family, Guid.CreateVersion7());
        var otherElder = new Evaluator(EvaluatorRole.Elder, Guid.CreateVersion7());
        var otherGridWorker = new Evaluator(EvaluatorRole.GridWorker, Guid.CreateVersion7());

        Assert.That(ServiceEvaluations.Confirm(record, stranger, [_elder], _clock).Rejection!.Code, Is.EqualTo("not-an-approved-proxy"));
        Assert.That(ServiceEvaluations.Confirm(record, otherGridWorker, [_elder], _clock).Rejection!.Code, Is.EqualTo("not-an-approved-proxy"));
        Assert.That(ServiceEvaluations.Confirm(record, otherElder, [_elder], _clock).Rejection!.Code, Is.EqualTo("not-served"));
        var revoked = Elder.Evolve(_elder, ProxyRules.Revoke(_elder.Id, _elder.Proxies, _son, "office-01", _clock).Event!)!;
        Assert.That(ServiceEvaluations.Confirm(record, TheSon, [revoked], _clock).Rejection!.Code, Is.EqualTo("not-an-approved-proxy"));
        Assert.That(ServiceEvaluations.Confirm(record, TheSon, [_elder], _clock).Event!.ActingForElderId, Is.EqualTo(_elder.Id));
    }
}
