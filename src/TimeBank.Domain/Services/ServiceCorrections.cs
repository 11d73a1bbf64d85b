using TimeBank.Domain.Shared;

namespace TimeBank.Domain.Services;

/// <summary>Why a recorded service was taken back. Codes, not free text: they carry no personal data and auditors can count them.</summary>
public enum ReversalReason
{
    EnteredInError,
    DuplicateRecord,
    NotDone,
    WrongVolunteer,
    WrongElder,
    WrongDuration,
    DisputeUpheld,
}

/// <summary>
/// Compensates a <see cref="ServiceRecorded"/>: takes its banked minutes back out of the time account. The
/// original stays in the history; both are shown. A reversal cannot itself be reversed: a service reversed
/// by mistake is recorded again. It repeats what it takes back (elders, type, day), so that views counting
/// services need not look up the original.
/// </summary>
public sealed record ServiceReversed(
    Guid ServiceId,
    Guid VolunteerId,
    IReadOnlyList<Guid> ElderIds,
    string ServiceType,
    DateOnly ServiceDay,
    int Minutes,
    int MinutesReversed,
    ReversalReason Reason,
    string ReversedBy,
    DateTimeOffset ReversedAt) : IServiceEvent;

public static class ServiceCorrections
{
    public static Decision<ServiceReversed> Reverse(ServiceRecord? service, ReversalReason reason, string by, TimeProvider clock)
    {
        if (service is null) return UnknownService();
        if (service.Status == ServiceStatus.Reversed)
        {
            return Rejection.Conflict("already-reversed", "", "This service has already been reversed; a reversal cannot be reversed. Record the service again if it did happen.");
        }

        return new ServiceReversed(
            service.Id, service.VolunteerId, service.ElderIds, service.ServiceType, service.ServiceDay, service.Minutes, service.MinutesBanked, reason, by, clock.GetUtcNow());
    }

    internal static Rejection UnknownService() =>
        Rejection.NotFound("unknown-service", "serviceId", "No service with this id is recorded in this community.");
}
