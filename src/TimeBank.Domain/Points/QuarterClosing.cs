using TimeBank.Domain.Care;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Elders;
using TimeBank.Domain.Shared;
using TimeBank.Domain.Volunteers;

namespace TimeBank.Domain.Points;

/// <summary>
/// The community closed a quarter (季度结算): every volunteer's award for it, and the points whose time was up,
/// were appended in the same transaction. Appended to the community's stream, whose version makes a second,
/// concurrent closing fail.
/// </summary>
public sealed record QuarterClosed(Guid CommunityId, Quarter Quarter, int VolunteersAwarded, int PointsAwarded, string ClosedBy, DateTimeOffset ClosedAt, int PointsExpired = 0);

/// <summary>A closed quarter as the community remembers it.</summary>
public sealed record ClosedQuarter(Quarter Quarter, int VolunteersAwarded, int PointsAwarded, DateTimeOffset ClosedAt, int PointsExpired = 0);

/// <summary>What a closing appends for one volunteer, in this order: their award, then their expired points.</summary>
public sealed record VolunteerClosing(PointsAwarded? Award, PointsExpired? Expiry)
{
    public IEnumerable<object> Events => new object?[] { Award, Expiry }.OfType<object>();
}

/// <summary>A closing decided: each volunteer's part that appends anything (in the order of their ids), then the closing.</summary>
public sealed record QuarterSettlement(IReadOnlyList<(Guid VolunteerId, VolunteerClosing Closing)> Volunteers, QuarterClosed Closed);

public static class QuarterClosing
{
    /// <summary>
    /// Decides the closing of a quarter from every volunteer's stream: each one's part (<see cref="Settle"/>), and
    /// the closing that counts them. Whether the quarter may be closed is asked first (<see cref="RefusalToClose"/>).
    /// </summary>
    /// <param name="streams">Each volunteer's events, oldest first, by volunteer id.</param>
    /// <param name="owedCare">The care each volunteer owed in the quarter, by volunteer id.</param>
    public static QuarterSettlement Close(
        Community community, Quarter quarter, IReadOnlyDictionary<Guid, IReadOnlyList<object>> streams, Func<Guid, DateOnly, CareCategory?> categoryOn,
        ILookup<Guid, OwedPeriod> owedCare, string by, DateTimeOffset now)
    {
        var settled = new List<(Guid VolunteerId, VolunteerClosing Closing)>();
        foreach (var (volunteerId, stream) in streams.OrderBy(s => s.Key))
        {
            var closing = Settle(stream, quarter, community.ScoringRulesFor, categoryOn, owedCare[volunteerId], by, now);
            if (closing.Events.Any()) settled.Add((volunteerId, closing));
        }

        var awards = settled.Select(s => s.Closing.Award).OfType<PointsAwarded>().ToList();
        var expired = settled.Sum(s => s.Closing.Expiry?.Points ?? 0);
        return new QuarterSettlement(settled, new QuarterClosed(community.Id, quarter, awards.Count, awards.Sum(a => a.Points), by, now, expired));
    }

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

    /// <summary>
    /// One volunteer's part of a closing, decided from their own stream: the quarter's award (none for a
    /// volunteer outside the quarter with nothing to score), then the expiry of what is left of awards whose time
    /// is up, by the rules in effect for the quarter closed, counted after the award.
    /// </summary>
    public static VolunteerClosing Settle(
        IReadOnlyList<object> stream, Quarter quarter, Func<Quarter, ScoringRules> rulesFor, Func<Guid, DateOnly, CareCategory?> categoryOn,
        IEnumerable<OwedPeriod> owedCare, string by, DateTimeOffset now)
    {
        if (stream.Aggregate((Volunteer?)null, Volunteer.Evolve) is not { } volunteer) return new VolunteerClosing(null, null);
        var breakdown = QuarterlyScoring.Score(stream, quarter, rulesFor, categoryOn, owedCare, volunteer.Points.Balance);
        var outOfQuarter = volunteer.EnrolledOn > quarter.LastDay || volunteer.LeftOn < quarter.FirstDay;
        var award = outOfQuarter && breakdown.Services.Count == 0 && breakdown.Bonuses.Count == 0
            ? null
            : new PointsAwarded(volunteer.Id, quarter, breakdown.Total, breakdown, by, now);
        var points = award is null ? volunteer.Points : volunteer.Points.Apply(award);
        return new VolunteerClosing(award, PointsExpiry.Expire(volunteer.Id, points, quarter, rulesFor(quarter).PointsExpireAfterQuarters, by, now));
    }
}
