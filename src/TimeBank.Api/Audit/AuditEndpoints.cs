using Marten;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.Partners;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Partners;
using Wolverine.Http;

namespace TimeBank.Api.Audit;

/// <summary>What an auditor sees of the chain: how many events were checked, and every break, first one first.</summary>
public sealed record ChainVerification(string? Community, long EventsChecked, bool Intact, EventChain.BrokenLink? FirstBroken, IReadOnlyList<EventChain.BrokenLink> Broken);

public static class AuditEndpoints
{
    /// <summary>Recomputes the hash chain of a community's events and names the first broken link.</summary>
    [WolverineGet("/api/v1/communities/{community}/audit/chain", Name = "VerifyEventChain")]
    [RequiresRole(PartnerRole.Auditor)]
    [Tags("Audit")]
    public static async Task<Results<Ok<ChainVerification>, ProblemHttpResult>> VerifyChain(string community, IDocumentStore store, CancellationToken cancellation)
    {
        if (!CommunityCode.IsValid(community)) return ProblemResponses.CommunityNotFound(community);
        var result = await EventChain.VerifyAsync(store, community, null, cancellation);
        return TypedResults.Ok(new ChainVerification(community, result.EventsChecked, result.Intact, result.First, result.Broken));
    }
}
