using Marten;
using TimeBank.Api.Communities;
using TimeBank.Api.Infrastructure.EventStore;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.People;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Elders;
using Wolverine.Http;

namespace TimeBank.Api.Elders;

public static class ListEldersEndpoint
{
    /// <summary>The community's elders in the order they were registered, a page at a time.</summary>
    [WolverineGet("/api/v1/communities/{community}/elders", Name = "ListElders")]
    [Tags("Elders")]
    public static async Task<Results<Ok<Page<ElderResponse>>, ProblemHttpResult>> List([NotBody] Community home, long? after, int? limit, IQuerySession session, CancellationToken cancellation)
    {
        var (refused, ids, next) = await CreationOrder.PageOfIdsAsync(session, after, limit, [typeof(ElderRegistered)], cancellation);
        if (refused is not null) return refused;
        var elders = (await session.LoadManyAsync<Elder>(cancellation, ids)).ToDictionary(e => e.Id);
        var details = (await session.LoadManyAsync<PersonalDetails>(cancellation, ids)).ToDictionary(p => p.Id);
        var items = ids.Where(elders.ContainsKey).Select(id => ElderResponse.From(elders[id], details.GetValueOrDefault(id))).ToList();
        return TypedResults.Ok(new Page<ElderResponse>(items, next));
    }
}
