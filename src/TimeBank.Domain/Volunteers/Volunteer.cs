using TimeBank.Domain.Points;
using TimeBank.Domain.Proxies;
using TimeBank.Domain.Services;
using TimeBank.Domain.Shared;
using TimeBank.Domain.Store;
using TimeBank.Domain.TimeAccounts;

namespace TimeBank.Domain.Volunteers;

public enum VolunteerStatus
{
    Active,
    Paused,
    Left,
}

/// <summary>
/// A volunteer ("60") joined a team of the community. Name, phone and birth date are personal data and
/// are kept outside the event log so that they can be erased; the event carries only the volunteer's id.
/// </summary>
public sealed record VolunteerEnrolled(
    Guid VolunteerId,
    string Team,
    DateOnly EnrolledOn,
    string? ExternalReference,
    string EnrolledBy,
    DateTimeOffset EnrolledAt);

/// <summary>
/// A volunteer's stream is also their time account: every service they do is deposited on it, so one
/// stream version guards every rule about their time (caps, overlaps, spending never below zero).
/// <paramref name="Proxies"/> are the family members or grid workers approved to act for them.
/// <paramref name="LeftAt"/> is when their departure or move was recorded (null in snapshots of earlier versions).
/// </summary>
public sealed record Volunteer(
    Guid Id,
    string Team,
    DateOnly EnrolledOn,
    string? ExternalReference,
    VolunteerStatus Status,
    DateOnly? LeftOn,
    int ServicesRecorded,
    TimeAccount Account,
    IReadOnlyList<Guid> Proxies,
    PointsAccount Points,
    DateTimeOffset? LeftAt = null) : IAggregate<Volunteer>
{
    public static IReadOnlyList<Type> EventTypes { get; } =
    [
        typeof(VolunteerEnrolled), typeof(VolunteerPaused), typeof(VolunteerResumed), typeof(VolunteerLeft),
        typeof(ServiceRecorded), typeof(ServiceReversed), typeof(ServiceConfirmed), typeof(ServiceDisputed),
        typeof(ProxyApproved), typeof(ProxyRevoked),
        .. TimeAccount.EventTypes,
        .. PointsAccount.EventTypes,
    ];

    public static Volunteer Started(VolunteerEnrolled enrolled) =>
        new(enrolled.VolunteerId, enrolled.Team, enrolled.EnrolledOn, enrolled.ExternalReference, VolunteerStatus.Active, null, 0, TimeAccount.Empty, [], PointsAccount.Empty);

    public static Volunteer? Evolve(Volunteer? state, object @event) => (state, @event) switch
    {
        (null, VolunteerEnrolled enrolled) => Started(enrolled),
        (null, VolunteerTransferredIn arrived) => new Volunteer(
            arrived.VolunteerId, arrived.Team, arrived.EnrolledOn, arrived.ExternalReference, VolunteerStatus.Active, null, 0, TimeAccount.Empty.Apply(arrived), [], PointsAccount.Empty.Apply(arrived)),
        ({ } v, VolunteerTransferredOut moved) => v with
        {
            Status = VolunteerStatus.Left,
            LeftOn = moved.LeftOn,
            LeftAt = moved.TransferredAt,
            Account = v.Account.Apply(moved),
            Points = v.Points.Apply(moved),
        },
        ({ } v, VolunteerPaused) => v with { Status = VolunteerStatus.Paused },
        ({ } v, VolunteerResumed) => v with { Status = VolunteerStatus.Active },
        ({ } v, VolunteerLeft left) => v with { Status = VolunteerStatus.Left, LeftOn = left.LeftOn, LeftAt = left.RecordedAt },
        ({ } v, ProxyApproved approved) => v with { Proxies = [.. v.Proxies, approved.ProxyId] },
        ({ } v, ProxyRevoked revoked) => v with { Proxies = [.. v.Proxies.Where(p => p != revoked.ProxyId)] },
        ({ } v, ServiceRecorded) => v with { ServicesRecorded = v.ServicesRecorded + 1, Account = v.Account.Apply(@event) },
        ({ } v, PointsAwarded or PointsRedeemed or PointsRestored or PointsExpired) => v with { Points = v.Points.Apply(@event) },
        ({ } v, _) => v with { Account = v.Account.Apply(@event) },
        _ => state,
    };
}
