using TimeBank.Domain.Communities;
using TimeBank.Domain.Shared;

namespace TimeBank.Domain.Volunteers;

public enum PauseReason
{
    Health,
    Travel,
    FamilyDuties,
    Other,
}

public enum LeavingReason
{
    MovedAway,
    Health,
    NoLongerAvailable,
    Deceased,
    Other,
}

/// <summary>A volunteer stopped serving for a while; their account and pairings stay.</summary>
public sealed record VolunteerPaused(Guid VolunteerId, PauseReason Reason, string PausedBy, DateTimeOffset PausedAt);

/// <summary>A paused volunteer serves again.</summary>
public sealed record VolunteerResumed(Guid VolunteerId, string ResumedBy, DateTimeOffset ResumedAt);

/// <summary>A volunteer left the time bank; no service after <paramref name="LeftOn"/> can be recorded for them.</summary>
public sealed record VolunteerLeft(Guid VolunteerId, DateOnly LeftOn, LeavingReason Reason, string RecordedBy, DateTimeOffset RecordedAt);

/// <summary>Decides pauses, resumptions and departures.</summary>
public static class VolunteerStatusChanges
{
    public static Decision<VolunteerPaused> Pause(Volunteer volunteer, PauseReason reason, string by, TimeProvider clock) =>
        volunteer.Status == VolunteerStatus.Active
            ? new VolunteerPaused(volunteer.Id, reason, by, clock.GetUtcNow())
            : NotIn(volunteer, "pause");

    public static Decision<VolunteerResumed> Resume(Volunteer volunteer, string by, TimeProvider clock) =>
        volunteer.Status == VolunteerStatus.Paused
            ? new VolunteerResumed(volunteer.Id, by, clock.GetUtcNow())
            : NotIn(volunteer, "resume");

    public static Decision<VolunteerLeft> Leave(
        Volunteer volunteer, DateOnly? leftOn, LeavingReason reason, string by, CommunityCalendar calendar, TimeProvider clock)
    {
        if (volunteer.Status == VolunteerStatus.Left) return NotIn(volunteer, "leave");

        var today = calendar.Today(clock);
        var day = leftOn ?? today;
        if (day > today) return Rejection.RuleBroken("leaving-in-future", "leftOn", $"A volunteer cannot leave after today ({today:yyyy-MM-dd} in the community).");
        if (day < volunteer.EnrolledOn) return Rejection.RuleBroken("leaving-before-enrolment", "leftOn", $"The volunteer enrolled on {volunteer.EnrolledOn:yyyy-MM-dd}.");
        return new VolunteerLeft(volunteer.Id, day, reason, by, clock.GetUtcNow());
    }

    private static Rejection NotIn(Volunteer volunteer, string change) =>
        Rejection.Conflict("volunteer-status", "", $"A volunteer who is {volunteer.Status.ToString().ToLowerInvariant()} cannot {change}.");
}
