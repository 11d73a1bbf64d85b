using Marten;
using TimeBank.Api.Infrastructure.Http;
using Wolverine.Http;

namespace TimeBank.Api.Communities;

public static class GetCommunityEndpoint
{
    [WolverineGet("/api/v1/communities/{community}", Name = "GetCommunity")]
    [Tags("Communities")]
    public static async Task<IResult> Get(string community, IQuerySession session, CancellationToken cancellation)
    {
        var found = await session.LoadCommunityAsync(community, cancellation);
        return found is null ? ProblemResponses.CommunityNotFound(community) : Results.Ok(CommunityResponse.From(found));
    }
}
