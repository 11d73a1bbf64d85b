using TimeBank.Domain.Communities;

namespace TimeBank.Domain.Points;

/// <summary>
/// What was left of a volunteer's awards whose time was up when the community closed
/// <paramref name="ClosedQuarter"/>, award by award. Appended to the volunteer's stream in the closing's
/// transaction; points already spent are never in it.
/// </summary>
public sealed record PointsExpired(Guid VolunteerId, Quarter ClosedQuarter, IReadOnlyList<AwardDraw> Awards, int Points, string ExpiredBy, DateTimeOffset ExpiredAt);

public static class PointsExpiry
{
    /// <summary>
    /// Points expire <paramref name="afterQuarters"/> whole quarters after the quarter they were awarded for
    /// (awarded for 2026Q1 and 2 quarters: still there through 2026Q3, gone when 2026Q3 closes). The rule is
    /// the one in effect, in the community where the points are, for the quarter being closed; an award carried
    /// from another community keeps its own quarter. Null: nothing expires.
    /// </summary>
    public static PointsExpired? Expire(Guid volunteerId, PointsAccount account, Quarter closing, int? afterQuarters, string by, DateTimeOffset at)
    {
        if (afterQuarters is not { } n) return null;
        var due = account.Awards
            .Where(h => h.Remaining > 0 && h.Quarter.Plus(n).CompareTo(closing) <= 0)
            .Select(h => new AwardDraw(h.Quarter, h.AwardedIn, h.Remaining))
            .ToList();
        return due.Count == 0 ? null : new PointsExpired(volunteerId, closing, due, due.Sum(d => d.Points), by, at);
    }
}
