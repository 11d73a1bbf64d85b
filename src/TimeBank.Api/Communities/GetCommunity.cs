using Marten;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Domain.Communities;
using Wolverine.Http;

namespace TimeBank.Api.Communities;

public static class GetCommunityEndpoint
{
    /// <summary>A community as registered, with its rules; answers its stream version as the ETag to send back with If-Match.</summary>
    [WolverineGet("/api/v1/communities/{community}", Name = "GetCommunity")]
    [VersionedResource]
    [Tags("Communities")]
    public static async Task<Results<Ok<CommunityResponse>, ProblemHttpResult>> Get(
        [NotBody] Community found, HttpContext context, IQuerySession session, CancellationToken cancellation)
    {
        await StreamVersions.TagAsync(context, session, found.Id, cancellation);
        return TypedResults.Ok(CommunityResponse.From(found));
    }
}
