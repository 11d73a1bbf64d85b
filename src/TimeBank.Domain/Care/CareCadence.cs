using TimeBank.Domain.Communities;
using TimeBank.Domain.Shared;

namespace TimeBank.Domain.Care;

/// <summary>Which service types keep one rhythm.</summary>
public sealed record RhythmServiceTypes(Rhythm Rhythm, IReadOnlyList<string> ServiceTypes);

/// <summary>
/// How a community counts the six ones: the day its weeks start, how many days either side of a festival
/// or birthday an activity still counts, and which service types keep which rhythm.
/// </summary>
public sealed record CareCadence(
    DayOfWeek WeekStartsOn,
    int FestivalWindowDays,
    int BirthdayWindowDays,
    IReadOnlyList<RhythmServiceTypes> ServiceTypesByRhythm)
{
    public const int MaxWindowDays = 15;

    /// <summary>
    /// Weeks start on Monday (as ISO weeks do). Whoever comes to the door also greets the elder that day;
    /// running errands (bills, shopping) is part of the weekly visit; the monthly service is one of the
    /// professional services; the collective activity, festival activity and birthday visit are their own types.
    /// </summary>
    public static readonly CareCadence Default = new(DayOfWeek.Monday, 3, 3,
    [
        new(Rhythm.DailyGreeting, ["greeting-call", "home-visit", "birthday-visit"]),
        new(Rhythm.WeeklyVisit, ["home-visit", "errands", "birthday-visit"]),
        new(Rhythm.MonthlyService, ["haircut-shave", "cleaning-laundry", "meal-delivery", "medicine-escort", "household-repair"]),
        new(Rhythm.QuarterlyActivity, ["alliance-activity"]),
        new(Rhythm.FestivalActivity, ["festival-activity"]),
        new(Rhythm.BirthdayVisit, ["birthday-visit", "home-visit"]),
    ]);

    public IReadOnlyList<string> ServiceTypesFor(Rhythm rhythm) =>
        ServiceTypesByRhythm.FirstOrDefault(r => r.Rhythm == rhythm)?.ServiceTypes ?? [];
}

/// <summary>The community set how it counts the six ones, from now on (earlier periods are counted the same new way).</summary>
public sealed record CareCadenceSet(Guid CommunityId, CareCadence Cadence, string SetBy, DateTimeOffset SetAt);

/// <summary>Decides changes to a community's care cadence.</summary>
public static class CareCadenceChanges
{
    public static Decision<CareCadenceSet> Set(Community community, CareCadence cadence, string by, TimeProvider clock)
    {
        foreach (var rhythm in Rhythms.All)
        {
            var types = cadence.ServiceTypesFor(rhythm);
            if (types.Count == 0)
            {
                return Rejection.RuleBroken("rhythm-without-service-types", "serviceTypesByRhythm", $"Name at least one service type that keeps {rhythm}.");
            }

            if (types.FirstOrDefault(code => community.FindServiceType(code) is null) is { } unknown)
            {
                return Rejection.RuleBroken("unknown-service-type", "serviceTypesByRhythm", $"'{unknown}' is not in the community's service catalogue.");
            }
        }

        if (cadence.ServiceTypesByRhythm.GroupBy(r => r.Rhythm).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            return Rejection.RuleBroken("rhythm-listed-twice", "serviceTypesByRhythm", $"{twice.Key} is listed more than once.");
        }

        return new CareCadenceSet(community.Id, cadence, by, clock.GetUtcNow());
    }
}
