using Marten;
using TimeBank.Api.Infrastructure.EventStore;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Domain.Communities;

namespace TimeBank.Api.Communities;

public static class CommunitiesConfiguration
{
    /// <summary>
    /// The community snapshot is inline: every request in a community reads it (time zone, existence)
    /// and must see a community the moment it has been registered.
    /// </summary>
    public static void ConfigureCommunities(this StoreOptions options) =>
        options.AddInlineSnapshot<Community>();

    /// <summary>The community a request's route names, or null when there is none by that code.</summary>
    public static Task<Community?> LoadCommunityAsync(this IQuerySession session, string code, CancellationToken cancellation) =>
        CommunityCode.IsValid(code)
            ? session.LoadAsync<Community>(CommunityCode.StreamId(code), cancellation)
            : Task.FromResult<Community?>(null);
}

/// <summary>A community as the API shows it, with the rules of its time bank.</summary>
public sealed record CommunityResponse(string Code, string Name, string TimeZone, string? County, TimeBankRules Rules)
{
    public static CommunityResponse From(Community community) => new(community.Code, community.Name, community.TimeZoneId, community.County, community.Rules);
}
