using TimeBank.Domain.Communities;

namespace TimeBank.Domain.Points;

/// <summary>
/// A volunteer's points (积分): awarded each quarter, spent at the community's store. Kept on the volunteer's
/// stream with their time account, so one stream version guards every rule about what they hold.
/// </summary>
public sealed record PointsAccount(int Balance, int Awarded, Quarter? LastAwardedQuarter)
{
    public static readonly PointsAccount Empty = new(0, 0, null);

    public static IReadOnlyList<Type> EventTypes { get; } = [typeof(PointsAwarded)];

    /// <summary>The one place where points are added and taken.</summary>
    public PointsAccount Apply(object @event) => @event switch
    {
        PointsAwarded awarded => this with { Balance = Balance + awarded.Points, Awarded = Awarded + awarded.Points, LastAwardedQuarter = awarded.Quarter },
        _ => this,
    };
}
