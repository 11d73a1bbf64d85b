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
    /// The one deliberate read across communities: it finds the county's communities in every tenant, then
    /// reads each one's totals inside that community's own tenant.
    /// </summary>
    [WolverineGet("/api/v1/counties/{county}/totals", Name = "GetCountyTotals")]
    [AllCommunities]
    [Tags("Counties")]
    public static async Task<IResult> Get(string county, IDocumentStore store, TimeProvider clock, CancellationToken cancellation)
    {
        await using var any = store.QuerySession();
        var communities = await any.Query<Community>().Where(c => c.AnyTenant() && c.County == county).OrderBy(c => c.Code).ToListAsync(cancellation);
        if (communities.Count == 0) return ProblemResponses.NotFound("unknown-county", $"No community belongs to county '{county}'.");

        var each = new List<TotalsResponse>();
        foreach (var community in communities)
        {
            await using var session = store.QuerySession(community.Code);
            var totals = await session.LoadAsync<CommunityTotals>(CommunityTotals.DocumentId, cancellation) ?? CommunityTotals.Empty;
            each.Add(TotalsResponse.From(community.Code, totals, community.Calendar.Today(clock)));
        }

        return Results.Ok(new CountyTotalsResponse(county, each.Sum(c => c.Volunteers), each.Sum(c => c.Elders), each.Sum(c => c.ActivePairings), each));
    }
}
