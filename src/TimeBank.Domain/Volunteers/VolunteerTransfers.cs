using TimeBank.Domain.Communities;
using TimeBank.Domain.Shared;

namespace TimeBank.Domain.Volunteers;

/// <summary>
/// A volunteer moved to another community and took their banked minutes along. Appended to their stream in
/// the community they leave; they have left it from <paramref name="LeftOn"/>.
/// </summary>
public sealed record VolunteerTransferredOut(
    Guid VolunteerId, string ToCommunity, Guid NewVolunteerId, int Minutes, DateOnly LeftOn, string TransferredBy, DateTimeOffset TransferredAt);

/// <summary>
/// A volunteer arrived from another community with their banked minutes: the first event of their stream
/// in the community they join, in place of an enrolment.
/// </summary>
public sealed record VolunteerTransferredIn(
    Guid VolunteerId, string FromCommunity, Guid FromVolunteerId, int Minutes, string Team, DateOnly EnrolledOn, string? ExternalReference,
    string TransferredBy, DateTimeOffset TransferredAt);

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

        return new VolunteerTransferredOut(volunteer.Id, to.Code, newVolunteerId, volunteer.Account.Balance, from.Calendar.Today(clock), by, clock.GetUtcNow());
    }

    public static VolunteerTransferredIn Arrive(VolunteerTransferredOut left, Volunteer volunteer, Community from, Community to, TimeProvider clock) =>
        new(left.NewVolunteerId, from.Code, volunteer.Id, left.Minutes, volunteer.Team, to.Calendar.Today(clock), volunteer.ExternalReference, left.TransferredBy, left.TransferredAt);
}
