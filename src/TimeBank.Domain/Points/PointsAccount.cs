using TimeBank.Domain.Communities;
using TimeBank.Domain.Store;

namespace TimeBank.Domain.Points;

/// <summary>
/// A volunteer's points (积分): awarded each quarter, spent at the community's store. Kept on the volunteer's
/// stream with their time account, so one stream version guards every rule about what they hold.
/// </summary>
public sealed record PointsAccount(int Balance, int Awarded, int Redeemed, Quarter? LastAwardedQuarter)
{
    public static readonly PointsAccount Empty = new(0, 0, 0, null);

    public static IReadOnlyList<Type> EventTypes { get; } = [typeof(PointsAwarded), typeof(PointsRedeemed), typeof(PointsRestored)];

    /// <summary>The one place where points are added and taken.</summary>
    public PointsAccount Apply(object @event) => @event switch
    {
        PointsAwarded awarded => this with { Balance = Balance + awarded.Points, Awarded = Awarded + awarded.Points, LastAwardedQuarter = awarded.Quarter },
        PointsRedeemed redeemed => this with { Balance = Balance - redeemed.Points, Redeemed = Redeemed + redeemed.Points },
        PointsRestored restored => this with { Balance = Balance + restored.Points, Redeemed = Redeemed - restored.Points },
        _ => this,
    };
}
