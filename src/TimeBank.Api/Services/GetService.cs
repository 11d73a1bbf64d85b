using Marten;
using TimeBank.Api.Communities;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Domain.Services;
using Wolverine.Http;

namespace TimeBank.Api.Services;

public static class GetServiceEndpoint
{
    /// <summary>A service as recorded, with its status (recorded, confirmed, disputed, reversed) and the minutes it banked.</summary>
    [WolverineGet("/api/v1/communities/{community}/services/{serviceId}", Name = "GetService")]
    [Tags("Services")]
    public static async Task<Results<Ok<ServiceResponse>, ProblemHttpResult>> Get(string community, Guid serviceId, IQuerySession session, CancellationToken cancellation)
    {
        var service = await session.LoadAsync<ServiceRecord>(serviceId, cancellation);
        if (service is not null) return TypedResults.Ok(ServiceResponse.From(service, await session.LoadAsync<ServiceNote>(serviceId, cancellation)));
        return await UnknownId.Service.AnswerAsync(session, community, cancellation);
    }
}
