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
/// An elder ("90") was registered for care. Name, phone, address and birth date are personal data and
/// live outside the event log; the event carries the id and the care category only.
/// </summary>
public sealed record ElderRegistered(
    Guid ElderId,
    CareCategory Category,
    DateOnly RegisteredOn,
    string RegisteredBy,
    DateTimeOffset RegisteredAt);

public sealed record Elder(Guid Id, CareCategory Category, DateOnly RegisteredOn) : IAggregate<Elder>
{
    public static IReadOnlyList<Type> EventTypes { get; } = [typeof(ElderRegistered)];

    public static Elder Started(ElderRegistered registered) => new(registered.ElderId, registered.Category, registered.RegisteredOn);

    public static Elder? Evolve(Elder? state, object @event) => @event switch
    {
        ElderRegistered registered when state is null => Started(registered),
        _ => state,
    };
}
