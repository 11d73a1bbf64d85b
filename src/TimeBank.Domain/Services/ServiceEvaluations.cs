using TimeBank.Domain.Elders;
using TimeBank.Domain.Shared;

namespace TimeBank.Domain.Services;

/// <summary>Who evaluates a service (服务评价): the elder served, a family member, or the grid worker.</summary>
public enum EvaluatorRole
{
    Elder,
    Family,
    GridWorker,
}

/// <summary>Who gives an evaluation: the elder served, or a family member or grid worker acting for them.</summary>
public sealed record Evaluator(EvaluatorRole Role, Guid Id);

/// <summary>
/// The service was confirmed as done, by the elder or by a proxy acting for <paramref name="ActingForElderId"/>.
/// </summary>
public sealed record ServiceConfirmed(
    Guid ServiceId,
    Guid VolunteerId,
    EvaluatorRole EvaluatorRole,
    Guid EvaluatorId,
    Guid? ActingForElderId,
    DateTimeOffset ConfirmedAt) : IServiceEvent;

/// <summary>The service was disputed; it stays banked until a correction reverses it or the grid worker confirms it.</summary>
public sealed record ServiceDisputed(
    Guid ServiceId,
    Guid VolunteerId,
    EvaluatorRole EvaluatorRole,
    Guid EvaluatorId,
    Guid? ActingForElderId,
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
    /// <param name="elders">The elders the service was for, as their streams stand (with their approved proxies).</param>
    public static Decision<ServiceConfirmed> Confirm(ServiceRecord? service, Evaluator evaluator, IReadOnlyCollection<Elder> elders, TimeProvider clock)
    {
        if (service is null) return ServiceCorrections.UnknownService();
        if (Settled(service) is { } settled) return settled;
        if (service.Evaluation == Evaluation.Disputed && evaluator.Role != EvaluatorRole.GridWorker)
        {
            return Rejection.Conflict("dispute-open", "evaluatorRole", "A disputed service is settled by the grid worker or by a correction.");
        }

        var authority = ActingFor(service, evaluator, elders);
        if (authority.Rejection is { } refused) return refused;
        return new ServiceConfirmed(service.Id, service.VolunteerId, evaluator.Role, evaluator.Id, authority.ElderId, clock.GetUtcNow());
    }

    public static Decision<ServiceDisputed> Dispute(
        ServiceRecord? service, Evaluator evaluator, IReadOnlyCollection<Elder> elders, DisputeReason reason, TimeProvider clock)
    {
        if (service is null) return ServiceCorrections.UnknownService();
        if (Settled(service) is { } settled) return settled;
        if (service.Evaluation == Evaluation.Disputed) return Rejection.Conflict("already-disputed", "", "This service is already disputed.");
        var authority = ActingFor(service, evaluator, elders);
        if (authority.Rejection is { } refused) return refused;
        return new ServiceDisputed(service.Id, service.VolunteerId, evaluator.Role, evaluator.Id, authority.ElderId, reason, clock.GetUtcNow());
    }

    /// <summary>
    /// Whether the evaluator may speak for the service: the elder served speaks for themself; a family member
    /// only as a proxy the community approved for one of the service's elders; a grid worker as such a proxy
    /// or as the elder's own grid worker. Returns the elder acted for.
    /// </summary>
    private static (Guid? ElderId, Rejection? Rejection) ActingFor(ServiceRecord service, Evaluator evaluator, IReadOnlyCollection<Elder> elders)
    {
        if (evaluator.Role == EvaluatorRole.Elder)
        {
            return service.ElderIds.Contains(evaluator.Id)
                ? (null, null)
                : (null, Rejection.RuleBroken("not-served", "evaluatorId", "Only an elder this service was for can evaluate it as the elder."));
        }

        var servedBy = elders.Where(e => service.ElderIds.Contains(e.Id));
        var elder = servedBy.FirstOrDefault(e => e.Proxies.Contains(evaluator.Id) || (evaluator.Role == EvaluatorRole.GridWorker && e.GridWorkerId == evaluator.Id));
        return elder is null
            ? (null, Rejection.RuleBroken("not-an-approved-proxy", "evaluatorId", "The evaluator is not approved to act for an elder of this service."))
            : (elder.Id, null);
    }

    private static Rejection? Settled(ServiceRecord service) =>
        service.Status == ServiceStatus.Reversed ? Rejection.Conflict("service-reversed", "", "This service has been reversed.")
        : service.Evaluation == Evaluation.Confirmed ? Rejection.Conflict("already-confirmed", "", "This service has already been confirmed.")
        : null;
}
