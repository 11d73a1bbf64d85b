namespace TimeBank.Domain.Services;

/// <summary>An event about one service, named by its id: what the service view is gathered by.</summary>
public interface IServiceEvent
{
    Guid ServiceId { get; }
}

public enum ServiceStatus
{
    Recorded,
    Reversed,
}

public enum Evaluation
{
    Pending,
    Confirmed,
    Disputed,
}

/// <summary>
/// One service as its events tell it (recorded, evaluated, perhaps reversed), keyed by the service's id.
/// The events live on the volunteer's stream; this view gathers those of one service.
/// </summary>
public sealed record ServiceRecord(
    Guid Id,
    Guid VolunteerId,
    IReadOnlyList<Guid> ElderIds,
    string ServiceType,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    DateOnly ServiceDay,
    int Minutes,
    int MinutesBanked,
    string RecordedBy,
    ServiceStatus Status,
    ReversalReason? ReversalReason,
    Evaluation Evaluation,
    EvaluatorRole? EvaluatedBy)
{
    public static ServiceRecord Started(ServiceRecorded recorded) =>
        new(recorded.ServiceId, recorded.VolunteerId, recorded.ElderIds, recorded.ServiceType, recorded.StartedAt,
            recorded.StartedAt.AddMinutes(recorded.Minutes), recorded.ServiceDay, recorded.Minutes, recorded.MinutesBanked,
            recorded.RecordedBy, ServiceStatus.Recorded, null, Evaluation.Pending, null);

    public static ServiceRecord? Evolve(ServiceRecord? state, object @event) => (state, @event) switch
    {
        (null, ServiceRecorded recorded) => Started(recorded),
        ({ } s, ServiceReversed reversed) => s with { Status = ServiceStatus.Reversed, ReversalReason = reversed.Reason },
        ({ } s, ServiceConfirmed confirmed) => s with { Evaluation = Evaluation.Confirmed, EvaluatedBy = confirmed.EvaluatorRole },
        ({ } s, ServiceDisputed disputed) => s with { Evaluation = Evaluation.Disputed, EvaluatedBy = disputed.EvaluatorRole },
        _ => state,
    };

    public bool Overlaps(DateTimeOffset start, DateTimeOffset end) => StartedAt < end && start < EndedAt;
}
