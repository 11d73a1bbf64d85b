using TimeBank.Domain.Care;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Elders;
using TimeBank.Domain.Shared;

namespace TimeBank.Domain.Points;

/// <summary>Points per hour of one service type, instead of the rules' default.</summary>
public sealed record ServiceTypeRate(string ServiceType, int PointsPerHour);

/// <summary>How much care for an elder of a category counts, in percent (150 = half as much again).</summary>
public sealed record CategoryWeight(CareCategory Category, int WeightPercent);

/// <summary>Points for each pairing that kept a rhythm in at least <paramref name="MinPercentKept"/>% of its owed periods in the quarter.</summary>
public sealed record RhythmBonus(Rhythm Rhythm, int MinPercentKept, int Points);

/// <summary>
/// How a community turns a quarter's service into points (积分). A service scores
/// minutes × points per hour × weight% ÷ 6000, rounded half up to a whole point (so each line of a
/// breakdown shows its own points and the lines add up); the weight is that of the elder served with the
/// highest weight, in the category they were in on the day. Rhythm bonuses are added per pairing; the cap
/// limits the quarter's own service and bonus points, not adjustments carried from earlier quarters.
/// </summary>
/// <param name="PointsExpireAfterQuarters">
/// Points expire this many whole quarters after the quarter they were awarded for, when the quarter that ends
/// that time closes (see <see cref="PointsExpiry"/>). Null: they never expire.
/// </param>
public sealed record ScoringRules(
    int PointsPerHour,
    IReadOnlyList<ServiceTypeRate> ServiceTypeRates,
    IReadOnlyList<CategoryWeight> CategoryWeights,
    IReadOnlyList<RhythmBonus> RhythmBonuses,
    int? QuarterCap,
    bool OnlyConfirmedServicesCount,
    int? PointsExpireAfterQuarters = null)
{
    public const int MaxPointsPerHour = 1000;
    public const int MaxWeightPercent = 1000;
    public const int MaxQuartersBeforeExpiry = 40;

    /// <summary>
    /// Until a community publishes its own: 10 points an hour; care for the disabled counts 150%, for those
    /// living alone or poor 120%; 20 points a pairing for greetings and visits kept 90% of the time, 10 for every
    /// monthly service and the quarter's activity, 5 for the festivals and the birthday; no cap; points never expire.
    /// </summary>
    public static readonly ScoringRules Default = new(
        10,
        [],
        [new(CareCategory.LivingAlone, 120), new(CareCategory.Disabled, 150), new(CareCategory.Poor, 120)],
        [
            new(Rhythm.DailyGreeting, 90, 20), new(Rhythm.WeeklyVisit, 90, 20), new(Rhythm.MonthlyService, 100, 10),
            new(Rhythm.QuarterlyActivity, 100, 10), new(Rhythm.FestivalActivity, 100, 5), new(Rhythm.BirthdayVisit, 100, 5),
        ],
        null,
        false,
        null);

    public int RateOf(string serviceType) => ServiceTypeRates.FirstOrDefault(r => r.ServiceType == serviceType)?.PointsPerHour ?? PointsPerHour;

    public int WeightOf(CareCategory category) => CategoryWeights.FirstOrDefault(w => w.Category == category)?.WeightPercent ?? 100;

    /// <summary>The points of one service: exact integer arithmetic, rounded half up once.</summary>
    public static int PointsFor(int minutes, int pointsPerHour, int weightPercent) =>
        (int)((((long)minutes * pointsPerHour * weightPercent) + 3000) / 6000);
}

/// <summary>Scoring rules in effect from a quarter on (until rules effective from a later quarter).</summary>
public sealed record EffectiveScoringRules(Quarter From, ScoringRules Rules);

/// <summary>The community published scoring rules effective from <paramref name="EffectiveFrom"/>; quarters already closed keep theirs.</summary>
public sealed record ScoringRulesPublished(Guid CommunityId, Quarter EffectiveFrom, ScoringRules Rules, string PublishedBy, DateTimeOffset PublishedAt);

public static class ScoringRulesPublishing
{
    public static Decision<ScoringRulesPublished> Publish(Community community, Quarter effectiveFrom, ScoringRules rules, string by, TimeProvider clock)
    {
        if (community.LastClosedQuarter is { } closed && effectiveFrom.CompareTo(closed) <= 0)
        {
            return Rejection.RuleBroken("quarter-closed", "effectiveFrom", $"{closed} is closed and keeps its rules; rules can take effect from {closed.Next} on.");
        }

        if (rules.ServiceTypeRates.FirstOrDefault(r => community.FindServiceType(r.ServiceType) is null) is { } unknown)
        {
            return Rejection.RuleBroken("unknown-service-type", "serviceTypeRates", $"'{unknown.ServiceType}' is not in the community's service catalogue.");
        }

        return new ScoringRulesPublished(community.Id, effectiveFrom, rules, by, clock.GetUtcNow());
    }
}
