using TimeBank.Domain.Communities;
using TimeBank.Domain.Shared;

namespace TimeBank.Domain.Points;

/// <summary>
/// The community closed a quarter (季度结算): every volunteer's award for it was appended in the same
/// transaction. Appended to the community's stream, whose version makes a second, concurrent closing fail.
/// </summary>
public sealed record QuarterClosed(Guid CommunityId, Quarter Quarter, int VolunteersAwarded, int PointsAwarded, string ClosedBy, DateTimeOffset ClosedAt);

/// <summary>A closed quarter as the community remembers it.</summary>
public sealed record ClosedQuarter(Quarter Quarter, int VolunteersAwarded, int PointsAwarded, DateTimeOffset ClosedAt);

public static class QuarterClosing
{
    /// <summary>
    /// Whether a quarter may be closed now: it is over in the community's calendar, and it is the quarter after
    /// the last one closed (quarters close in order, so a late record always has one next open quarter).
    /// Closing a quarter already closed is not decided here: it is answered with the closing on record.
    /// </summary>
    public static Rejection? RefusalToClose(Community community, Quarter quarter, DateOnly today)
    {
        if (quarter.LastDay >= today)
        {
            return Rejection.RuleBroken("quarter-not-over", "quarter", $"{quarter} ends on {quarter.LastDay:yyyy-MM-dd}; it can be closed from the day after.");
        }

        if (community.LastClosedQuarter is { } last && !quarter.Equals(last.Next))
        {
            return Rejection.RuleBroken("quarters-close-in-order", "quarter", $"The last quarter closed is {last}; close {last.Next} next.");
        }

        return null;
    }
}
