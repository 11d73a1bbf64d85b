using TimeBank.Domain.Communities;
using TimeBank.Domain.Elders;
using TimeBank.Domain.Shared;
using TimeBank.Domain.Volunteers;

namespace TimeBank.Domain.Pairings;

/// <summary>Why this volunteer was chosen: by kinship, proximity or familiarity (就亲、就近、就熟).</summary>
public enum PairingBasis
{
    Kinship,
    Proximity,
    Familiarity,
}

public enum PairingEndReason
{
    VolunteerLeft,
    ElderMovedAway,
    ElderDeceased,
    ReplacedByAnotherVolunteer,
    Other,
}

/// <summary>
/// A volunteer was paired with an elder (结对). Appended to the elder's stream, whose version guards the rule
/// that an elder has one active pairing at a time; a volunteer may be paired with several elders.
/// </summary>
public sealed record ElderPaired(
    Guid PairingId,
    Guid ElderId,
    Guid VolunteerId,
    DateOnly StartedOn,
    PairingBasis Basis,
    string PairedBy,
    DateTimeOffset PairedAt) : IPairingEvent;

/// <summary>The pairing ended on <paramref name="EndedOn"/>; the elder may be paired again.</summary>
public sealed record PairingEnded(
    Guid PairingId,
    Guid ElderId,
    Guid VolunteerId,
    DateOnly EndedOn,
    PairingEndReason Reason,
    string EndedBy,
    DateTimeOffset EndedAt) : IPairingEvent;

/// <summary>An event about one pairing, named by its id.</summary>
public interface IPairingEvent
{
    Guid PairingId { get; }
}

/// <summary>One pairing as its events tell it.</summary>
public sealed record Pairing(
    Guid Id,
    Guid ElderId,
    Guid VolunteerId,
    DateOnly StartedOn,
    PairingBasis Basis,
    DateOnly? EndedOn,
    PairingEndReason? EndReason)
{
    public bool IsActive => EndedOn is null;

    public static Pairing? Evolve(Pairing? state, object @event) => (state, @event) switch
    {
        (null, ElderPaired paired) => new Pairing(paired.PairingId, paired.ElderId, paired.VolunteerId, paired.StartedOn, paired.Basis, null, null),
        ({ } p, PairingEnded ended) => p with { EndedOn = ended.EndedOn, EndReason = ended.Reason },
        _ => state,
    };
}

/// <summary>Decides pairings.</summary>
public static class PairingRules
{
    public static Decision<ElderPaired> Pair(
        Guid pairingId, Elder? elder, Volunteer? volunteer, DateOnly? startedOn, PairingBasis basis, string by, CommunityCalendar calendar, TimeProvider clock)
    {
        if (elder is null) return Rejection.NotFound("unknown-elder", "elderId", "No elder with this id is registered in this community.");
        if (volunteer is null) return Rejection.NotFound("unknown-volunteer", "volunteerId", "No volunteer with this id is enrolled in this community.");
        if (volunteer.Status != VolunteerStatus.Active)
        {
            return Rejection.RuleBroken("volunteer-not-active", "volunteerId", $"A volunteer who is {volunteer.Status.ToString().ToLowerInvariant()} takes no new pairing.");
        }

        if (elder.Pairing is { } current)
        {
            return Rejection.Conflict("elder-already-paired", "elderId", $"The elder is paired (pairing {current.PairingId}) since {current.StartedOn:yyyy-MM-dd}; end it first.");
        }

        var today = calendar.Today(clock);
        var day = startedOn ?? today;
        if (day > today) return Rejection.RuleBroken("pairing-in-future", "startedOn", "A pairing cannot start after today.");
        if (day < volunteer.EnrolledOn) return Rejection.RuleBroken("pairing-before-enrolment", "startedOn", $"The volunteer enrolled on {volunteer.EnrolledOn:yyyy-MM-dd}.");
        return new ElderPaired(pairingId, elder.Id, volunteer.Id, day, basis, by, clock.GetUtcNow());
    }

    public static Decision<PairingEnded> End(
        Pairing? pairing, DateOnly? endedOn, PairingEndReason reason, string by, CommunityCalendar calendar, TimeProvider clock)
    {
        if (pairing is null) return Rejection.NotFound("unknown-pairing", "pairingId", "No pairing with this id in this community.");
        if (!pairing.IsActive) return Rejection.Conflict("pairing-ended", "", $"The pairing ended on {pairing.EndedOn:yyyy-MM-dd}.");
        var today = calendar.Today(clock);
        var day = endedOn ?? today;
        if (day > today) return Rejection.RuleBroken("end-in-future", "endedOn", "A pairing cannot end after today.");
        if (day < pairing.StartedOn) return Rejection.RuleBroken("end-before-start", "endedOn", $"The pairing started on {pairing.StartedOn:yyyy-MM-dd}.");
        return new PairingEnded(pairing.Id, pairing.ElderId, pairing.VolunteerId, day, reason, by, clock.GetUtcNow());
    }
}
