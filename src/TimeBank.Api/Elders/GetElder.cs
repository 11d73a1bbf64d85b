using Marten;
using TimeBank.Api.Communities;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.People;
using TimeBank.Domain.Elders;
using Wolverine.Http;

namespace TimeBank.Api.Elders;

public static class GetElderEndpoint
{
    /// <summary>An elder as registered (personal data included until erased); answers the elder's stream version as the ETag.</summary>
    [WolverineGet("/api/v1/communities/{community}/elders/{elderId}", Name = "GetElder")]
    [VersionedResource]
    [Tags("Elders")]
    public static async Task<Results<Ok<ElderResponse>, ProblemHttpResult>> Get(string community, Guid elderId, HttpContext context, IQuerySession session, CancellationToken cancellation)
    {
        var elder = await session.LoadAsync<Elder>(elderId, cancellation);
        var details = await session.LoadAsync<PersonalDetails>(elderId, cancellation);
        if (elder is not null)
        {
            await StreamVersions.TagAsync(context, session, elderId, cancellation);
            return TypedResults.Ok(ElderResponse.From(elder, details));
        }

        return await UnknownId.Elder.AnswerAsync(session, community, cancellation);
    }
}
