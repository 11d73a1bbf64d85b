using JasperFx.Events;
using Marten;
using TimeBank.Api.Communities;
using TimeBank.Api.Infrastructure.EventStore;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Domain.Services;
using Wolverine.Http;

namespace TimeBank.Api.Services;

public static class ListServicesEndpoint
{
    /// <summary>The community's services in the order they were recorded, a page at a time (reversed ones show their status).</summary>
    [WolverineGet("/api/v1/communities/{community}/services", Name = "ListServices")]
    [Tags("Services")]
    public static async Task<IResult> List(string community, long? after, int? limit, IQuerySession session, CancellationToken cancellation)
    {
        if (Paging.Refusal(after, limit) is { } refused) return refused;
        if (await session.LoadCommunityAsync(community, cancellation) is null) return ProblemResponses.CommunityNotFound(community);

        var (events, next) = await CreationOrder.PageAsync(session, [typeof(ServiceRecorded)], after, limit, cancellation);
        var ids = events.Select(e => ((ServiceRecorded)e.Data).ServiceId).ToList();
        var services = (await session.LoadManyAsync<ServiceRecord>(cancellation, ids)).ToDictionary(s => s.Id);
        var notes = (await session.LoadManyAsync<ServiceNote>(cancellation, ids)).ToDictionary(n => n.Id);
        var items = ids.Where(services.ContainsKey).Select(id => ServiceResponse.From(services[id], notes.GetValueOrDefault(id))).ToList();
        return Results.Ok(new Page<ServiceResponse>(items, next));
    }
}
