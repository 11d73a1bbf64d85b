using TimeBank.Domain.Communities;
using TimeBank.Domain.Shared;

namespace TimeBank.Domain.Volunteers;

/// <summary>Decides the enrolment of a volunteer in a community's team.</summary>
public static class VolunteerEnrolment
{
    /// <summary>The teams (志愿服务队) every community starts with; a community may name its own as well.</summary>
    public static readonly IReadOnlyList<string> DefaultTeams = [.. VolunteerTeams.Default.Select(t => t.Code)];

    public static Decision<VolunteerEnrolled> Decide(
        Guid volunteerId,
        string team,
        DateOnly? enrolledOn,
        string? externalReference,
        string enrolledBy,
        CommunityCalendar calendar,
        TimeProvider clock)
    {
        var today = calendar.Today(clock);
        var day = enrolledOn ?? today;
        if (day > today)
        {
            return Rejection.RuleBroken("enrolment-in-future", "enrolledOn", $"A volunteer cannot be enrolled after today ({today:yyyy-MM-dd} in the community).");
        }

        return new VolunteerEnrolled(volunteerId, team, day, externalReference, enrolledBy, clock.GetUtcNow());
    }
}
