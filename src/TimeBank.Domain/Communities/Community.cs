using TimeBank.Domain.Care;
using TimeBank.Domain.Points;
using TimeBank.Domain.Services;
using TimeBank.Domain.Shared;

namespace TimeBank.Domain.Communities;

/// <summary>
/// A community (社区) started keeping its time bank. Its code is the tenant of all its records; the county
/// (县) it belongs to groups it with others for county-wide reports.
/// </summary>
public sealed record CommunityRegistered(
    Guid CommunityId,
    string Code,
    string Name,
    string TimeZoneId,
    string RegisteredBy,
    DateTimeOffset RegisteredAt,
    string? County = null);

/// <summary>The community set the rules of its time bank, from now on.</summary>
public sealed record TimeBankRulesSet(Guid CommunityId, TimeBankRules Rules, string SetBy, DateTimeOffset SetAt);

/// <summary>The community added a service type of its own to the catalogue.</summary>
public sealed record ServiceTypeAdded(Guid CommunityId, ServiceType Type, string AddedBy, DateTimeOffset AddedAt);

/// <summary>
/// A community as its own event stream tells it: its calendar, rules, service catalogue, how it counts the
/// six ones (<paramref name="OwnCadence"/> is null until it sets its own; <see cref="Cadence"/> is what applies),
/// the scoring rules it published and the quarters it closed.
/// </summary>
public sealed record Community(
    Guid Id,
    string Code,
    string Name,
    string TimeZoneId,
    TimeBankRules Rules,
    IReadOnlyList<ServiceType> OwnServiceTypes,
    string? County,
    CareCadence? OwnCadence,
    IReadOnlyList<EffectiveScoringRules> PublishedScoringRules,
    IReadOnlyList<ClosedQuarter> ClosedQuarters) : IAggregate<Community>
{
    public static IReadOnlyList<Type> EventTypes { get; } =
    [
        typeof(CommunityRegistered), typeof(TimeBankRulesSet), typeof(ServiceTypeAdded), typeof(CareCadenceSet),
        typeof(ScoringRulesPublished), typeof(QuarterClosed),
    ];

    /// <summary>The scoring rules in effect for a quarter: the latest published effective from it or before, else the defaults.</summary>
    public ScoringRules ScoringRulesFor(Quarter quarter) =>
        PublishedScoringRules.LastOrDefault(r => r.From.CompareTo(quarter) <= 0)?.Rules ?? ScoringRules.Default;

    public Quarter? LastClosedQuarter => ClosedQuarters.Count == 0 ? null : ClosedQuarters[^1].Quarter;

    public ClosedQuarter? Closing(Quarter quarter) => ClosedQuarters.FirstOrDefault(c => c.Quarter.Equals(quarter));

    public CareCadence Cadence => OwnCadence ?? CareCadence.Default;

    public CommunityCalendar Calendar => CommunityCalendar.For(TimeZoneId);

    /// <summary>The default catalogue and the community's own types.</summary>
    public ServiceType? FindServiceType(string? code) =>
        ServiceCatalogue.Find(code) ?? OwnServiceTypes.FirstOrDefault(t => t.Code == code);

    public IEnumerable<ServiceType> ServiceTypes => ServiceCatalogue.Default.Concat(OwnServiceTypes);

    public static Community Started(CommunityRegistered registered) =>
        new(registered.CommunityId, registered.Code, registered.Name, registered.TimeZoneId, TimeBankRules.Default, [], registered.County, null, [], []);

    public static Community? Evolve(Community? state, object @event) => (state, @event) switch
    {
        (null, CommunityRegistered registered) => Started(registered),
        ({ } c, TimeBankRulesSet set) => c with { Rules = set.Rules },
        ({ } c, ServiceTypeAdded added) => c with { OwnServiceTypes = [.. c.OwnServiceTypes, added.Type] },
        ({ } c, CareCadenceSet set) => c with { OwnCadence = set.Cadence },
        // Kept in order of the quarter they take effect from; a later publication for the same quarter replaces it.
        ({ } c, ScoringRulesPublished published) => c with
        {
            PublishedScoringRules = [.. c.PublishedScoringRules.Where(r => !r.From.Equals(published.EffectiveFrom)).Append(new EffectiveScoringRules(published.EffectiveFrom, published.Rules)).OrderBy(r => r.From)],
        },
        ({ } c, QuarterClosed closed) => c with { ClosedQuarters = [.. c.ClosedQuarters, new ClosedQuarter(closed.Quarter, closed.VolunteersAwarded, closed.PointsAwarded, closed.ClosedAt, closed.PointsExpired)] },
        _ => state,
    };
}
