namespace TimeBank.Domain.Services;

/// <summary>
/// A volunteer did a service for one elder (or several, at a group activity), and its minutes were
/// deposited in the volunteer's time account. Appended to the volunteer's stream; never changed. A wrong
/// record is corrected by a compensating event that names this one.
/// </summary>
/// <param name="ServiceDay">The day it happened in the community's time zone, fixed when it was recorded.</param>
/// <param name="MinutesBanked">Minutes credited to the time account: the service's minutes unless a rule of the community says less.</param>
/// <param name="TimeSavingsRequestId">Set when the service was delivered for a time-savings request (its recipient is then the request's beneficiary, not an elder).</param>
public sealed record ServiceRecorded(
    Guid ServiceId,
    Guid VolunteerId,
    IReadOnlyList<Guid> ElderIds,
    string ServiceType,
    DateTimeOffset StartedAt,
    int Minutes,
    DateOnly ServiceDay,
    int MinutesBanked,
    string RecordedBy,
    DateTimeOffset RecordedAt,
    Guid? TimeSavingsRequestId = null) : IServiceEvent;
