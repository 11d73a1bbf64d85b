using TimeBank.Domain.Care;
using TimeBank.Domain.Communities;

namespace TimeBank.Domain.Points;

/// <summary>
/// One service (or the reversal of one) in a quarter's score. An adjustment belongs to an earlier, closed
/// quarter (<paramref name="ServiceQuarter"/>): recorded or reversed after it closed, it counts in the next
/// quarter closed. <paramref name="NotCounted"/> says why a line scores nothing (e.g. <c>not-confirmed</c>).
/// </summary>
public sealed record ScoreLine(
    Guid ServiceId,
    DateOnly ServiceDay,
    Quarter ServiceQuarter,
    string ServiceType,
    int Minutes,
    int PointsPerHour,
    int WeightPercent,
    int Points,
    bool Adjustment,
    bool Reversal,
    string? NotCounted = null);

/// <summary>How one rhythm of one pairing was kept in the quarter, and the bonus it earned.</summary>
public sealed record BonusLine(Guid PairingId, Guid ElderId, Rhythm Rhythm, int Owed, int Kept, int? PercentKept, int MinPercentKept, int Points);

/// <summary>
/// How a quarter's award was reached: <c>Total = ServicePoints + BonusPoints - CutByCap + AdjustmentPoints +
/// Unrecovered</c>, where <paramref name="Unrecovered"/> is what a negative award could not take back because
/// the balance would have gone below zero (it is written off, and shown).
/// </summary>
public sealed record ScoreBreakdown(
    IReadOnlyList<ScoreLine> Services,
    IReadOnlyList<BonusLine> Bonuses,
    int ServicePoints,
    int BonusPoints,
    int? QuarterCap,
    int CutByCap,
    int AdjustmentPoints,
    int Unrecovered,
    int Total);

/// <summary>
/// A volunteer's points for a quarter, awarded when the community closed it. Appended to the volunteer's
/// stream (their account of time and points); never changed: later corrections are adjustments of a later award.
/// </summary>
public sealed record PointsAwarded(Guid VolunteerId, Quarter Quarter, int Points, ScoreBreakdown Breakdown, string AwardedBy, DateTimeOffset AwardedAt);
