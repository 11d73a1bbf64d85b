using TimeBank.Domain.Services;
using TimeBank.Domain.Shared;

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
/// </summary>
public sealed record Volunteer(
    Guid Id,
    string Team,
    DateOnly EnrolledOn,
    string? ExternalReference,
    VolunteerStatus Status,
    int ServicesRecorded,
    int BankedMinutes) : IAggregate<Volunteer>
{
    public static IReadOnlyList<Type> EventTypes { get; } = [typeof(VolunteerEnrolled), typeof(ServiceRecorded)];

    public static Volunteer Started(VolunteerEnrolled enrolled) =>
        new(enrolled.VolunteerId, enrolled.Team, enrolled.EnrolledOn, enrolled.ExternalReference, VolunteerStatus.Active, 0, 0);

    public static Volunteer? Evolve(Volunteer? state, object @event) => (state, @event) switch
    {
        (null, VolunteerEnrolled enrolled) => Started(enrolled),
        ({ } volunteer, ServiceRecorded recorded) => volunteer with
        {
            ServicesRecorded = volunteer.ServicesRecorded + 1,
            BankedMinutes = volunteer.BankedMinutes + recorded.MinutesBanked,
        },
        _ => state,
    };
}
