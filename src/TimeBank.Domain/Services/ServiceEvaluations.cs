using TimeBank.Domain.Shared;

namespace TimeBank.Domain.Services;

/// <summary>Who evaluates a service (服务评价): the elder served, a family member, or the grid worker.</summary>
public enum EvaluatorRole
{
    Elder,
    Family,
    GridWorker,
}

/// <summary>The service was confirmed as done. <paramref name="EvaluatorReference"/> is an id, never a name.</summary>
public sealed record ServiceConfirmed(
    Guid ServiceId,
    Guid VolunteerId,
    EvaluatorRole EvaluatorRole,
    string EvaluatorReference,
    DateTimeOffset ConfirmedAt) : IServiceEvent;

/// <summary>The service was disputed; it stays banked until a correction reverses it or the grid worker confirms it.</summary>
public sealed record ServiceDisputed(
    Guid ServiceId,
    Guid VolunteerId,
    EvaluatorRole EvaluatorRole,
    string EvaluatorReference,
    DisputeReason Reason,
    DateTimeOffset DisputedAt) : IServiceEvent;

public enum DisputeReason
{
    NotDone,
    ShorterThanRecorded,
    WrongService,
    Other,
}

/// <summary>
/// Decides evaluations. A pending service can be confirmed or disputed; a disputed one is settled by the
/// grid worker confirming it or by a correction (reversal); a confirmed or reversed one is settled.
/// </summary>
public static class ServiceEvaluations
{
    public static Decision<ServiceConfirmed> Confirm(ServiceRecord? service, EvaluatorRole role, string reference, TimeProvider clock)
    {
        if (service is null) return ServiceCorrections.UnknownService();
        if (Settled(service) is { } settled) return settled;
        if (service.Evaluation == Evaluation.Disputed && role != EvaluatorRole.GridWorker)
        {
            return Rejection.Conflict("dispute-open", "evaluatorRole", "A disputed service is settled by the grid worker or by a correction.");
        }

        return new ServiceConfirmed(service.Id, service.VolunteerId, role, reference, clock.GetUtcNow());
    }

    public static Decision<ServiceDisputed> Dispute(ServiceRecord? service, EvaluatorRole role, string reference, DisputeReason reason, TimeProvider clock)
    {
        if (service is null) return ServiceCorrections.UnknownService();
        if (Settled(service) is { } settled) return settled;
        if (service.Evaluation == Evaluation.Disputed) return Rejection.Conflict("already-disputed", "", "This service is already disputed.");
        return new ServiceDisputed(service.Id, service.VolunteerId, role, reference, reason, clock.GetUtcNow());
    }

    private static Rejection? Settled(ServiceRecord service) =>
        service.Status == ServiceStatus.Reversed ? Rejection.Conflict("service-reversed", "", "This service has been reversed.")
        : service.Evaluation == Evaluation.Confirmed ? Rejection.Conflict("already-confirmed", "", "This service has already been confirmed.")
        : null;
}
