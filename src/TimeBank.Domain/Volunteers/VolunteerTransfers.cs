using TimeBank.Domain.Communities;
using TimeBank.Domain.Points;
using TimeBank.Domain.Shared;

namespace TimeBank.Domain.Volunteers;

/// <summary>
/// A volunteer moved to another community and took their banked minutes and their points along, the points
/// award by award (<paramref name="PointsCarried"/>, each named by the community that awarded it; null in moves
/// recorded by earlier versions, which left the points behind). Appended to their stream in the community they
/// leave; they have left it from <paramref name="LeftOn"/>.
/// </summary>
public sealed record VolunteerTransferredOut(
    Guid VolunteerId, string ToCommunity, Guid NewVolunteerId, int Minutes, DateOnly LeftOn, string TransferredBy, DateTimeOffset TransferredAt,
    int Points = 0, IReadOnlyList<AwardDraw>? PointsCarried = null);

/// <summary>
/// A volunteer arrived from another community with their banked minutes and points (award by award, so each
/// keeps its own quarter): the first event of their stream in the community they join, in place of an enrolment.
/// </summary>
public sealed record VolunteerTransferredIn(
    Guid VolunteerId, string FromCommunity, Guid FromVolunteerId, int Minutes, string Team, DateOnly EnrolledOn, string? ExternalReference,
    string TransferredBy, DateTimeOffset TransferredAt, int Points = 0, IReadOnlyList<AwardDraw>? PointsCarried = null);

/// <summary>Decides a move between communities: both ends in one decision, so the minutes leave only to arrive.</summary>
public static class VolunteerTransfers
{
    public static Decision<VolunteerTransferredOut> Leave(
        Volunteer volunteer, Community from, Community? to, string toCode, Guid newVolunteerId, string by, TimeProvider clock)
    {
        if (to is null) return Rejection.NotFound("unknown-community", "toCommunity", $"There is no community '{toCode}'.");
        if (to.Id == from.Id) return Rejection.RuleBroken("same-community", "toCommunity", "The volunteer is already in this community.");
        if (volunteer.Status == VolunteerStatus.Left) return Rejection.Conflict("volunteer-status", "", "A volunteer who has left cannot move.");
        if (volunteer.Account.Held > 0)
        {
            return Rejection.RuleBroken("open-requests", "", $"{volunteer.Account.Held} minutes are held for open time-savings requests; settle them first.");
        }

        var points = volunteer.Points.Unspent(from.Code);
        return new VolunteerTransferredOut(volunteer.Id, to.Code, newVolunteerId, volunteer.Account.Balance, from.Calendar.Today(clock), by, clock.GetUtcNow(),
            volunteer.Points.Balance, points);
    }

    public static VolunteerTransferredIn Arrive(VolunteerTransferredOut left, Volunteer volunteer, Community from, Community to, TimeProvider clock) =>
        new(left.NewVolunteerId, from.Code, volunteer.Id, left.Minutes, volunteer.Team, to.Calendar.Today(clock), volunteer.ExternalReference, left.TransferredBy, left.TransferredAt,
            left.Points, left.PointsCarried);
}
