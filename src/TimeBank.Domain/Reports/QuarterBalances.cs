using TimeBank.Domain.Communities;
using TimeBank.Domain.Points;
using TimeBank.Domain.Services;
using TimeBank.Domain.Store;
using TimeBank.Domain.TimeAccounts;
using TimeBank.Domain.Volunteers;

namespace TimeBank.Domain.Reports;

/// <summary>
/// A volunteer's points and minutes as the quarter's books stand, so that a printed report adds up on paper:
/// what was brought forward plus the quarter's flows is what is carried forward, and the next quarter brings
/// forward what this one carried. The balances at the closing moment (<see cref="VolunteerSettlement.PointsBalance"/>)
/// differ from these by whatever happened after the quarter's last day and before it was closed.
/// </summary>
/// <param name="MinutesBanked">
/// The quarter's own deposits less its reversals: its services' banked minutes, and those of late records (and
/// reversals) of earlier quarters that this quarter's closing took in.
/// </param>
public sealed record QuarterBalances(int PointsBroughtForward, int PointsCarriedForward, int MinutesBroughtForward, int MinutesBanked, int MinutesCarriedForward)
{
    public static readonly QuarterBalances None = new(0, 0, 0, 0, 0);

    /// <summary>The balances of <paramref name="quarter"/> with one more change: before the quarter, in it, or after it (left out).</summary>
    public QuarterBalances With(BalanceChange change, Quarter quarter)
    {
        var order = change.Quarter.CompareTo(quarter);
        if (order > 0) return this;
        var carried = this with
        {
            PointsCarriedForward = PointsCarriedForward + change.Points,
            MinutesCarriedForward = MinutesCarriedForward + change.Minutes,
        };
        if (order < 0)
        {
            return carried with
            {
                PointsBroughtForward = PointsBroughtForward + change.Points,
                MinutesBroughtForward = MinutesBroughtForward + change.Minutes,
            };
        }

        return change.Banked ? carried with { MinutesBanked = MinutesBanked + change.Minutes } : carried;
    }
}

/// <summary>A change of one account's points or minutes, and the quarter whose books it belongs to.</summary>
/// <param name="Banked">A service's deposit or its reversal (the quarter's <see cref="QuarterBalances.MinutesBanked"/>).</param>
public sealed record BalanceChange(Guid AccountId, Quarter Quarter, int Points, int Minutes, bool Banked = false);

/// <summary>
/// Which quarter's books each change of a balance belongs to, so that every change is in exactly one quarter:
/// <list type="bullet">
/// <item>an award, to the quarter it is for; an expiry, to the quarter whose closing made it (both are appended
/// at the closing, after the quarter's last day);</item>
/// <item>a service's minutes and their reversal, to the quarter of the service's day, unless that quarter was
/// already closed when it was recorded (or reversed): then to the next quarter closed, whose award scores it
/// as an adjustment;</item>
/// <item>anything else (redemptions and restorations, time savings spent, minutes given and received, moves), to
/// the quarter of the day it happened in the community's time zone.</item>
/// </list>
/// The arithmetic is that of <see cref="TimeAccount.Apply"/> and <see cref="PointsAccount.Apply"/>: summed over
/// every quarter, the changes give the accounts' balances.
/// </summary>
public static class BalanceChanges
{
    /// <param name="lastClosed">The community's last quarter closed before this event in the log, if any.</param>
    public static BalanceChange? Of(object @event, CommunityCalendar calendar, Quarter? lastClosed)
    {
        Quarter At(DateTimeOffset instant) => calendar.QuarterOf(instant);
        Quarter Scored(DateOnly serviceDay)
        {
            var own = Quarter.Containing(serviceDay);
            return lastClosed is { } closed && own.CompareTo(closed) <= 0 ? closed.Next : own;
        }

        return @event switch
        {
            PointsAwarded awarded => new(awarded.VolunteerId, awarded.Quarter, awarded.Points, 0),
            PointsExpired expired => new(expired.VolunteerId, expired.ClosedQuarter, -expired.Points, 0),
            PointsRedeemed redeemed => new(redeemed.VolunteerId, At(redeemed.RedeemedAt), -redeemed.Points, 0),
            PointsRestored restored => new(restored.VolunteerId, At(restored.RestoredAt), restored.Points, 0),
            ServiceRecorded recorded => new(recorded.VolunteerId, Scored(recorded.ServiceDay), 0, recorded.MinutesBanked, Banked: true),
            ServiceReversed reversed => new(reversed.VolunteerId, Scored(reversed.ServiceDay), 0, -reversed.MinutesReversed, Banked: true),
            TimeSavingsDelivered delivered => new(delivered.AccountId, At(delivered.DeliveredAt), 0, -delivered.MinutesSpent),
            MinutesGiven given => new(given.AccountId, At(given.GivenAt), 0, -given.Minutes),
            MinutesReceived received => new(received.AccountId, At(received.ReceivedAt), 0, received.Minutes),
            // A move recorded by an earlier version took no points along (PointsCarried null), as the account folds it.
            VolunteerTransferredOut moved => new(moved.VolunteerId, At(moved.TransferredAt), moved.PointsCarried is null ? 0 : -moved.Points, -moved.Minutes),
            VolunteerTransferredIn arrived => new(arrived.VolunteerId, At(arrived.TransferredAt), arrived.PointsCarried is null ? 0 : arrived.Points, arrived.Minutes),
            _ => null,
        };
    }
}
