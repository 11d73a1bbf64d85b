using Marten;
using TimeBank.Api.Communities;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.Partners;
using TimeBank.Domain.Communities;
using Wolverine.Http;

namespace TimeBank.Api.Counties;

/// <summary>A county's communities, each with its totals.</summary>
public sealed record CountyTotalsResponse(string County, int Volunteers, int Elders, int ActivePairings, IReadOnlyList<TotalsResponse> Communities);

public static class CountyTotalsEndpoint
{
    /// <summary>
    /// Finds the county's communities in every tenant, then reads each one's totals inside that community's
    /// own tenant.
    /// </summary>
    [WolverineGet("/api/v1/counties/{county}/totals", Name = "GetCountyTotals")]
    [AllCommunities]
    [Tags("Counties")]
    public static async Task<Results<Ok<CountyTotalsResponse>, ProblemHttpResult>> Get(string county, IDocumentStore store, TimeProvider clock, CancellationToken cancellation)
    {
        var communities = await store.CommunitiesOfCountyAsync(county, cancellation);
        if (communities.Count == 0) return ProblemResponses.From(UnknownId.County(county));

        var each = new List<TotalsResponse>();
        foreach (var community in communities)
        {
            await using var session = store.QuerySession(community.Code);
            var totals = await session.LoadAsync<CommunityTotals>(CommunityTotals.DocumentId, cancellation) ?? CommunityTotals.Empty;
            each.Add(TotalsResponse.From(community.Code, totals, community.Calendar.Today(clock)));
        }

        return TypedResults.Ok(new CountyTotalsResponse(county, each.Sum(c => c.Volunteers), each.Sum(c => c.Elders), each.Sum(c => c.ActivePairings), each));
    }

    /// <summary>The one deliberate read across tenants: the communities of a county, by code.</summary>
    public static async Task<IReadOnlyList<Community>> CommunitiesOfCountyAsync(this IDocumentStore store, string county, CancellationToken cancellation)
    {
        await using var any = store.QuerySession();
        return await any.Query<Community>().Where(c => c.AnyTenant() && c.County == county).OrderBy(c => c.Code).ToListAsync(cancellation);
    }
}
