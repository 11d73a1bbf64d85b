using TimeBank.Domain.Shared;

namespace TimeBank.Domain.Communities;

/// <summary>A community (社区) started keeping its time bank. Its code is the tenant of all its records.</summary>
public sealed record CommunityRegistered(
    Guid CommunityId,
    string Code,
    string Name,
    string TimeZoneId,
    string RegisteredBy,
    DateTimeOffset RegisteredAt);

/// <summary>A community as its own event stream tells it.</summary>
public sealed record Community(Guid Id, string Code, string Name, string TimeZoneId) : IAggregate<Community>
{
    public static IReadOnlyList<Type> EventTypes { get; } = [typeof(CommunityRegistered)];

    public CommunityCalendar Calendar => CommunityCalendar.For(TimeZoneId);

    public static Community Started(CommunityRegistered registered) =>
        new(registered.CommunityId, registered.Code, registered.Name, registered.TimeZoneId);

    public static Community? Evolve(Community? state, object @event) => @event switch
    {
        CommunityRegistered registered when state is null => Started(registered),
        _ => state,
    };
}
