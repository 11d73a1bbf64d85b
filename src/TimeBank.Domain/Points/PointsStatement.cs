using TimeBank.Domain.Communities;
using TimeBank.Domain.Store;
using TimeBank.Domain.TimeAccounts;
using TimeBank.Domain.Volunteers;

namespace TimeBank.Domain.Points;

public enum PointsEntryKind
{
    Awarded,
    Redeemed,
    Restored,
    Expired,
    TransferredOut,
    TransferredIn,
}

/// <summary>
/// One line of a points statement: what happened to the points at one version of the volunteer's stream, by how
/// much the balance moved and where it stood afterwards, and how each award's remaining points moved.
/// </summary>
/// <param name="Quarter">The quarter of an award, or the quarter whose closing expired the points.</param>
/// <param name="Reference">The order of a redemption or restoration; the volunteer's id at the other end of a move.</param>
/// <param name="Awards">Each award the line changed, by how much its remaining points moved (awardedIn null: this community).</param>
public sealed record PointsStatementLine(
    long Version,
    DateTimeOffset At,
    PointsEntryKind Kind,
    int Change,
    int BalanceAfter,
    Quarter? Quarter,
    Guid? Reference,
    IReadOnlyList<AwardDraw> Awards);

public static class PointsStatement
{
    /// <summary>The statement lines of a volunteer's events, in order, from an empty account: the running balance is folded with the account's own arithmetic.</summary>
    public static IEnumerable<PointsStatementLine> Lines(IEnumerable<AccountEvent> events)
    {
        var account = PointsAccount.Empty;
        foreach (var e in events)
        {
            var after = account.Apply(e.Data);
            if (KindOf(e.Data) is { } entry)
            {
                yield return new PointsStatementLine(e.Version, e.At, entry.Kind, after.Balance - account.Balance, after.Balance, entry.Quarter, entry.Reference, Moved(account, after));
            }

            account = after;
        }
    }

    /// <summary>How each award's remaining points moved: holdings are only ever appended to or changed in place, then kept oldest first.</summary>
    private static List<AwardDraw> Moved(PointsAccount before, PointsAccount after) =>
        [.. after.Awards
            .Select(h => new AwardDraw(h.Quarter, h.AwardedIn, h.Remaining - (before.Awards.FirstOrDefault(b => b.Quarter.Equals(h.Quarter) && b.AwardedIn == h.AwardedIn)?.Remaining ?? 0)))
            .Where(d => d.Points != 0)];

    private static (PointsEntryKind Kind, Quarter? Quarter, Guid? Reference)? KindOf(object @event) => @event switch
    {
        PointsAwarded a => (PointsEntryKind.Awarded, a.Quarter, null),
        PointsRedeemed r => (PointsEntryKind.Redeemed, null, r.OrderId),
        PointsRestored r => (PointsEntryKind.Restored, null, r.OrderId),
        PointsExpired x => (PointsEntryKind.Expired, x.ClosedQuarter, null),
        VolunteerTransferredOut m => (PointsEntryKind.TransferredOut, null, m.NewVolunteerId),
        VolunteerTransferredIn m => (PointsEntryKind.TransferredIn, null, m.FromVolunteerId),
        _ => null,
    };
}
