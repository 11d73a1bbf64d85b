using TimeBank.Domain.Pairings;
using TimeBank.Domain.Proxies;
using TimeBank.Domain.Shared;

namespace TimeBank.Domain.Elders;

/// <summary>The four care categories (照护类型) an elder is put in after the door-to-door survey.</summary>
public enum CareCategory
{
    /// <summary>小康型: enrich mental life and learning.</summary>
    Comfortable,

    /// <summary>独居型: listening and companionship.</summary>
    LivingAlone,

    /// <summary>失能型: daily-life care.</summary>
    Disabled,

    /// <summary>贫困型: regular visits and solving practical problems.</summary>
    Poor,
}

/// <summary>
/// An elder ("90") was registered for care. Name, phone, address, birth dates and the emergency contact are
/// personal data and live outside the event log; the event carries ids, the care category and the compound
/// (a residential compound of hundreds of households, not an address).
/// </summary>
public sealed record ElderRegistered(
    Guid ElderId,
    CareCategory Category,
    string? Compound,
    Guid? GridWorkerId,
    DateOnly RegisteredOn,
    string RegisteredBy,
    DateTimeOffset RegisteredAt);

/// <summary>A new survey put the elder in another care category from <paramref name="Since"/>.</summary>
public sealed record ElderCareCategoryChanged(Guid ElderId, CareCategory From, CareCategory To, DateOnly Since, string ChangedBy, DateTimeOffset ChangedAt);

/// <summary>Another grid worker now looks after the elder's household.</summary>
public sealed record ElderGridWorkerAssigned(Guid ElderId, Guid GridWorkerId, string AssignedBy, DateTimeOffset AssignedAt);

/// <summary>A period in one care category; the current one has no end.</summary>
public sealed record CareCategoryPeriod(CareCategory Category, DateOnly Since);

/// <summary>
/// An elder as their stream tells it. Pairings are kept on the elder's stream, so its version guards the
/// rule that an elder has at most one active pairing.
/// </summary>
public sealed record Elder(
    Guid Id,
    CareCategory Category,
    IReadOnlyList<CareCategoryPeriod> CategoryHistory,
    string? Compound,
    Guid? GridWorkerId,
    DateOnly RegisteredOn,
    ActivePairing? Pairing,
    IReadOnlyList<Guid> Proxies) : IAggregate<Elder>
{
    public static IReadOnlyList<Type> EventTypes { get; } =
    [
        typeof(ElderRegistered), typeof(ElderCareCategoryChanged), typeof(ElderGridWorkerAssigned),
        typeof(ElderPaired), typeof(PairingEnded), typeof(ProxyApproved), typeof(ProxyRevoked),
    ];

    /// <summary>The care category the elder was in on a day (the first one for days before registration).</summary>
    public CareCategory CategoryOn(DateOnly day) => CategoryHistory.LastOrDefault(p => p.Since <= day)?.Category ?? CategoryHistory[0].Category;

    public static Elder Started(ElderRegistered registered) =>
        new(registered.ElderId, registered.Category, [new CareCategoryPeriod(registered.Category, registered.RegisteredOn)],
            registered.Compound, registered.GridWorkerId, registered.RegisteredOn, null, []);

    public static Elder? Evolve(Elder? state, object @event) => (state, @event) switch
    {
        (null, ElderRegistered registered) => Started(registered),
        ({ } e, ElderCareCategoryChanged changed) => e with
        {
            Category = changed.To,
            CategoryHistory = [.. e.CategoryHistory, new CareCategoryPeriod(changed.To, changed.Since)],
        },
        ({ } e, ElderGridWorkerAssigned assigned) => e with { GridWorkerId = assigned.GridWorkerId },
        ({ } e, ElderPaired paired) => e with { Pairing = new ActivePairing(paired.PairingId, paired.VolunteerId, paired.StartedOn) },
        ({ } e, PairingEnded ended) when e.Pairing?.PairingId == ended.PairingId => e with { Pairing = null },
        ({ } e, ProxyApproved approved) => e with { Proxies = [.. e.Proxies, approved.ProxyId] },
        ({ } e, ProxyRevoked revoked) => e with { Proxies = [.. e.Proxies.Where(p => p != revoked.ProxyId)] },
        _ => state,
    };
}

/// <summary>The elder's current pairing (结对): which volunteer, since when.</summary>
public sealed record ActivePairing(Guid PairingId, Guid VolunteerId, DateOnly StartedOn);
