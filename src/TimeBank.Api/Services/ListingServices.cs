using JasperFx.Events;
using Marten;
using TimeBank.Api.Communities;
using TimeBank.Api.Infrastructure.EventStore;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Services;
using Wolverine.Http;

namespace TimeBank.Api.Services;

public static class ListServicesEndpoint
{
    /// <summary>The community's services in the order they were recorded, a page at a time (reversed ones show their status).</summary>
    [WolverineGet("/api/v1/communities/{community}/services", Name = "ListServices")]
    [Tags("Services")]
    public static async Task<Results<Ok<Page<ServiceResponse>>, ProblemHttpResult>> List([NotBody] Community home, long? after, int? limit, IQuerySession session, CancellationToken cancellation)
    {
        var (refused, ids, next) = await CreationOrder.PageOfIdsAsync(
            session, after, limit, [typeof(ServiceRecorded)], cancellation, e => ((ServiceRecorded)e.Data).ServiceId);
        if (refused is not null) return refused;
        var services = (await session.LoadManyAsync<ServiceRecord>(cancellation, ids)).ToDictionary(s => s.Id);
        var notes = (await session.LoadManyAsync<ServiceNote>(cancellation, ids)).ToDictionary(n => n.Id);
        var items = ids.Where(services.ContainsKey).Select(id => ServiceResponse.From(services[id], notes.GetValueOrDefault(id))).ToList();
        return TypedResults.Ok(new Page<ServiceResponse>(items, next));
    }
}
