using Marten;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.Partners;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Partners;
using Wolverine.Http;

namespace TimeBank.Api.Audit;

/// <summary>What an auditor sees of the chain: how many events were checked, and every break, first one first.</summary>
public sealed record ChainVerification(
    string? Community, long EventsChecked, bool Intact, EventChain.BrokenLink? FirstBroken, IReadOnlyList<EventChain.BrokenLink> Broken, long? CheckedAgainstCheckpoint);

/// <summary>The signed checkpoints, oldest first, and the public key that checks them (which an auditor keeps from elsewhere too).</summary>
public sealed record CheckpointList(string? PublicKey, string? KeyId, IReadOnlyList<Checkpoints.Checkpoint> Checkpoints);

public static class AuditEndpoints
{
    /// <summary>Recomputes the hash chain of a community's events and names the first broken link.</summary>
    [WolverineGet("/api/v1/communities/{community}/audit/chain", Name = "VerifyEventChain")]
    [RequiresRole(PartnerRole.Auditor)]
    [Tags("Audit")]
    public static async Task<Results<Ok<ChainVerification>, ProblemHttpResult>> VerifyChain(string community, IDocumentStore store, CheckpointKey checkpointKey, CancellationToken cancellation)
    {
        if (!CommunityCode.IsValid(community)) return ProblemResponses.CommunityNotFound(community);
        var result = await EventChain.VerifyAsync(store, checkpointKey, community, null, cancellation);
        return TypedResults.Ok(new ChainVerification(community, result.EventsChecked, result.Intact, result.First, result.Broken, result.LatestCheckpoint?.Number));
    }

    /// <summary>Every signed checkpoint of the chain (all communities: a checkpoint covers the whole log), for an auditor to keep offline.</summary>
    [WolverineGet("/api/v1/audit/checkpoints", Name = "ListCheckpoints")]
    [RequiresRole(PartnerRole.Auditor)]
    [AllCommunities]
    [Tags("Audit")]
    public static async Task<Ok<CheckpointList>> ListCheckpoints(IDocumentStore store, CheckpointKey checkpointKey, CancellationToken cancellation) =>
        TypedResults.Ok(new CheckpointList(checkpointKey.PublicKeyPem, checkpointKey.KeyId, await Checkpoints.ListAsync(store, cancellation)));
}
