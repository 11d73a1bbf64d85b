using Microsoft.Extensions.Time.Testing;
using TimeBank.Domain.Services;
using TimeBank.Domain.Volunteers;

namespace TimeBank.Domain.Tests.Services;

public class ServiceCorrectionAndEvaluationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 2, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Now);
    private readonly Guid _volunteerId = Guid.CreateVersion7();

    private ServiceRecorded AVisit(int banked) =>
        new(Guid.CreateVersion7(), _volunteerId, [Guid.CreateVersion7()], "home-visit", Now.AddHours(-5), banked, new DateOnly(2026, 11, 23), banked, "grid-01", Now);

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

        var confirmed = ServiceEvaluations.Confirm(record, EvaluatorRole.Elder, "elder-7", _clock).Event!;
        var after = ServiceRecord.Evolve(record, confirmed)!;

        Assert.That(after.Evaluation, Is.EqualTo(Evaluation.Confirmed));
        Assert.That(after.EvaluatedBy, Is.EqualTo(EvaluatorRole.Elder));
        Assert.That(ServiceEvaluations.Confirm(after, EvaluatorRole.Family, "son-1", _clock).Rejection!.Code, Is.EqualTo("already-confirmed"));
        Assert.That(ServiceEvaluations.Dispute(after, EvaluatorRole.Family, "son-1", DisputeReason.NotDone, _clock).Rejection!.Code, Is.EqualTo("already-confirmed"));
    }

    [Test]
    public void a_disputed_service_is_settled_only_by_the_grid_worker_or_a_reversal()
    {
        var record = ServiceRecord.Started(AVisit(banked: 60));
        var disputed = ServiceRecord.Evolve(record, ServiceEvaluations.Dispute(record, EvaluatorRole.Family, "daughter-2", DisputeReason.NotDone, _clock).Event!)!;

        Assert.That(disputed.Evaluation, Is.EqualTo(Evaluation.Disputed));
        Assert.That(ServiceEvaluations.Confirm(disputed, EvaluatorRole.Elder, "elder-7", _clock).Rejection!.Code, Is.EqualTo("dispute-open"));
        Assert.That(ServiceEvaluations.Dispute(disputed, EvaluatorRole.Elder, "elder-7", DisputeReason.NotDone, _clock).Rejection!.Code, Is.EqualTo("already-disputed"));
        Assert.That(ServiceEvaluations.Confirm(disputed, EvaluatorRole.GridWorker, "grid-01", _clock).IsAccepted, Is.True);
        Assert.That(ServiceCorrections.Reverse(disputed, ReversalReason.DisputeUpheld, "grid-01", _clock).IsAccepted, Is.True);
    }

    [Test]
    public void a_reversed_service_cannot_be_evaluated()
    {
        var visit = AVisit(banked: 60);
        var reversed = ServiceRecord.Evolve(ServiceRecord.Started(visit), ServiceCorrections.Reverse(ServiceRecord.Started(visit), ReversalReason.DuplicateRecord, "grid-01", _clock).Event!);

        Assert.That(ServiceEvaluations.Confirm(reversed, EvaluatorRole.Elder, "elder-7", _clock).Rejection!.Code, Is.EqualTo("service-reversed"));
    }
}
