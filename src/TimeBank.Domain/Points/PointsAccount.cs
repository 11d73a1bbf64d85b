using System.Text.Json.Serialization;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Store;
using TimeBank.Domain.Volunteers;

namespace TimeBank.Domain.Points;

/// <summary>
/// Some points of one award: the award of <paramref name="Quarter"/> made by <paramref name="AwardedIn"/>
/// (a community code; null for the community whose account this is).
/// </summary>
public sealed record AwardDraw(Quarter Quarter, string? AwardedIn, int Points);

/// <summary>
/// One award as the account holds it: what it brought (<paramref name="Points"/>), and what of it was spent at
/// the store, expired, taken back by a later negative award or taken along to another community. The rest
/// is what can still be spent.
/// </summary>
public sealed record AwardHolding(Quarter Quarter, string? AwardedIn, int Points, int Spent, int Expired, int TakenBack, int TransferredOut)
{
    public int Remaining => Points - Spent - Expired - TakenBack - TransferredOut;

    public bool Is(AwardDraw draw) => Quarter.Equals(draw.Quarter) && AwardedIn == draw.AwardedIn;
}

/// <summary>The awards an order's points were drawn on, so that undoing it gives them back to the same awards.</summary>
public sealed record OrderDraws(Guid OrderId, IReadOnlyList<AwardDraw> Draws);

/// <summary>
/// A volunteer's points (积分): awarded each quarter, spent at the community's store, expired by a closing when
/// the community's rules say so, carried to another community on a move. Kept on the volunteer's stream with
/// their time account, so one stream version guards every rule about what they hold. Every point belongs to
/// an award (<see cref="Holdings"/>, oldest quarter first): a spend draws on the oldest first, an expiry takes
/// only what is left of an award, a restoration gives back to the awards its order drew on.
/// </summary>
/// <param name="Holdings">Null in snapshots kept by earlier versions; read through <see cref="Awards"/>.</param>
/// <param name="Orders">The awards each order drew on (null in earlier snapshots).</param>
public sealed record PointsAccount(
    int Balance,
    int Awarded,
    int Redeemed,
    Quarter? LastAwardedQuarter,
    int Expired = 0,
    int TransferredIn = 0,
    int TransferredOut = 0,
    IReadOnlyList<AwardHolding>? Holdings = null,
    IReadOnlyList<OrderDraws>? Orders = null)
{
    public static readonly PointsAccount Empty = new(0, 0, 0, null, 0, 0, 0, [], []);

    public static IReadOnlyList<Type> EventTypes { get; } = [typeof(PointsAwarded), typeof(PointsRedeemed), typeof(PointsRestored), typeof(PointsExpired)];

    /// <summary>Every award the account holds points of, oldest quarter first (in the order they came, within a quarter).</summary>
    [JsonIgnore]
    public IReadOnlyList<AwardHolding> Awards => Holdings ?? [];

    /// <summary>The awards <paramref name="points"/> would be drawn on, oldest first; fewer when the account holds fewer.</summary>
    public IReadOnlyList<AwardDraw> DrawOldestFirst(int points)
    {
        var draws = new List<AwardDraw>();
        foreach (var holding in Awards)
        {
            if (points <= 0) break;
            var take = Math.Min(points, holding.Remaining);
            if (take <= 0) continue;
            draws.Add(new AwardDraw(holding.Quarter, holding.AwardedIn, take));
            points -= take;
        }

        return draws;
    }

    /// <summary>What is left of every award, each named by the community that made it (<paramref name="here"/> for this one's own).</summary>
    public IReadOnlyList<AwardDraw> Unspent(string here) =>
        [.. Awards.Where(h => h.Remaining > 0)
            .GroupBy(h => (h.Quarter, AwardedIn: h.AwardedIn ?? here))
            .Select(g => new AwardDraw(g.Key.Quarter, g.Key.AwardedIn, g.Sum(h => h.Remaining)))];

    /// <summary>The awards an order drew on (an order placed by an earlier version: as they were worked out when it was folded).</summary>
    public IReadOnlyList<AwardDraw> DrawsOf(Guid orderId) => (Orders ?? []).FirstOrDefault(o => o.OrderId == orderId)?.Draws ?? [];

    /// <summary>The one place where points are added and taken.</summary>
    public PointsAccount Apply(object @event) => @event switch
    {
        PointsAwarded { Points: >= 0 } awarded => this with
        {
            Balance = Balance + awarded.Points,
            Awarded = Awarded + awarded.Points,
            LastAwardedQuarter = awarded.Quarter,
            Holdings = awarded.Points == 0 ? Awards : Ordered([.. Awards, new AwardHolding(awarded.Quarter, null, awarded.Points, 0, 0, 0, 0)]),
        },
        // A negative award takes back what later records took from an earlier quarter, from the oldest awards first.
        PointsAwarded takingBack => this with
        {
            Balance = Balance + takingBack.Points,
            Awarded = Awarded + takingBack.Points,
            LastAwardedQuarter = takingBack.Quarter,
            Holdings = Change(DrawOldestFirst(-takingBack.Points), (h, p) => h with { TakenBack = h.TakenBack + p }),
        },
        // A redemption appended by an earlier version does not name its awards: they are drawn oldest first, as now.
        PointsRedeemed redeemed => Redeem(redeemed, redeemed.DrawnFrom ?? DrawOldestFirst(redeemed.Points)),
        PointsRestored restored => Restore(restored, restored.ReturnedTo ?? DrawsOf(restored.OrderId)),
        PointsExpired expired => this with
        {
            Balance = Balance - expired.Points,
            Expired = Expired + expired.Points,
            Holdings = Change(expired.Awards, (h, p) => h with { Expired = h.Expired + p }),
        },
        // A move recorded by an earlier version took no points along (PointsCarried null): they stay.
        VolunteerTransferredOut { PointsCarried: { } carried } moved => this with
        {
            Balance = Balance - moved.Points,
            TransferredOut = TransferredOut + moved.Points,
            Holdings = [.. Awards.Select(h => h.Remaining > 0 ? h with { TransferredOut = h.TransferredOut + h.Remaining } : h)],
        },
        VolunteerTransferredIn { PointsCarried: { } brought } arrived => this with
        {
            Balance = Balance + arrived.Points,
            TransferredIn = TransferredIn + arrived.Points,
            Holdings = Ordered([.. Awards, .. brought.Select(d => new AwardHolding(d.Quarter, d.AwardedIn, d.Points, 0, 0, 0, 0))]),
        },
        _ => this,
    };

    private PointsAccount Redeem(PointsRedeemed redeemed, IReadOnlyList<AwardDraw> draws) => this with
    {
        Balance = Balance - redeemed.Points,
        Redeemed = Redeemed + redeemed.Points,
        Holdings = Change(draws, (h, p) => h with { Spent = h.Spent + p }),
        Orders = [.. Orders ?? [], new OrderDraws(redeemed.OrderId, draws)],
    };

    private PointsAccount Restore(PointsRestored restored, IReadOnlyList<AwardDraw> returned) => this with
    {
        Balance = Balance + restored.Points,
        Redeemed = Redeemed - restored.Points,
        Holdings = Change(returned, (h, p) => h with { Spent = h.Spent - p }),
        Orders = [.. (Orders ?? []).Where(o => o.OrderId != restored.OrderId)],
    };

    /// <summary>The holdings with each draw applied to the award it names.</summary>
    private List<AwardHolding> Change(IEnumerable<AwardDraw> draws, Func<AwardHolding, int, AwardHolding> change)
    {
        var holdings = Awards.ToList();
        foreach (var draw in draws)
        {
            var i = holdings.FindIndex(h => h.Is(draw));
            if (i >= 0) holdings[i] = change(holdings[i], draw.Points);
        }

        return holdings;
    }

    /// <summary>Oldest quarter first; within a quarter, in the order they came (the sort is stable).</summary>
    private static List<AwardHolding> Ordered(IEnumerable<AwardHolding> holdings) => [.. holdings.OrderBy(h => h.Quarter)];
}
