using TimeBank.Domain.Care;
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
/// A community as its own event stream tells it: its calendar, rules, service catalogue and how it counts the
/// six ones (<paramref name="OwnCadence"/> is null until it sets its own; <see cref="Cadence"/> is what applies).
/// </summary>
public sealed record Community(
    Guid Id,
    string Code,
    string Name,
    string TimeZoneId,
    TimeBankRules Rules,
    IReadOnlyList<ServiceType> OwnServiceTypes,
    string? County = null,
    CareCadence? OwnCadence = null) : IAggregate<Community>
{
    public static IReadOnlyList<Type> EventTypes { get; } = [typeof(CommunityRegistered), typeof(TimeBankRulesSet), typeof(ServiceTypeAdded), typeof(CareCadenceSet)];

    public CareCadence Cadence => OwnCadence ?? CareCadence.Default;

    public CommunityCalendar Calendar => CommunityCalendar.For(TimeZoneId);

    /// <summary>The default catalogue and the community's own types.</summary>
    public ServiceType? FindServiceType(string? code) =>
        ServiceCatalogue.Find(code) ?? OwnServiceTypes.FirstOrDefault(t => t.Code == code);

    public IEnumerable<ServiceType> ServiceTypes => ServiceCatalogue.Default.Concat(OwnServiceTypes);

    public static Community Started(CommunityRegistered registered) =>
        new(registered.CommunityId, registered.Code, registered.Name, registered.TimeZoneId, TimeBankRules.Default, [], registered.County);

    public static Community? Evolve(Community? state, object @event) => (state, @event) switch
    {
        (null, CommunityRegistered registered) => Started(registered),
        ({ } c, TimeBankRulesSet set) => c with { Rules = set.Rules },
        ({ } c, ServiceTypeAdded added) => c with { OwnServiceTypes = [.. c.OwnServiceTypes, added.Type] },
        ({ } c, CareCadenceSet set) => c with { OwnCadence = set.Cadence },
        _ => state,
    };
}
