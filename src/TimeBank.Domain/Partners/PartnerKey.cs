using TimeBank.Domain.Shared;

namespace TimeBank.Domain.Partners;

/// <summary>What a partner system's key may do. An admin may do everything within its communities.</summary>
public enum PartnerRole
{
    /// <summary>Records services, pairings and people.</summary>
    Recorder,

    /// <summary>Keeps a station's catalogue and serves its counter.</summary>
    Store,

    /// <summary>Reads.</summary>
    Reader,

    /// <summary>Reads everything of its communities and runs audits.</summary>
    Auditor,

    /// <summary>Manages keys, rules and quarter closings.</summary>
    Admin,
}

/// <summary>
/// A key was issued to a partner system (a community office, a county bureau, a store counter). Only a hash of
/// its secret is kept: a copy of the database cannot be used to call the API. <paramref name="Communities"/>
/// lists the community codes it works in, or <see cref="PartnerKey.AllCommunities"/>.
/// </summary>
public sealed record PartnerKeyIssued(
    Guid KeyId,
    string Partner,
    string SecretHash,
    IReadOnlyList<PartnerRole> Roles,
    IReadOnlyList<string> Communities,
    int RequestsPerSecond,
    string IssuedBy,
    DateTimeOffset IssuedAt);

/// <summary>The key no longer opens anything.</summary>
public sealed record PartnerKeyRevoked(Guid KeyId, string RevokedBy, DateTimeOffset RevokedAt);

/// <summary>A partner's key as its stream tells it.</summary>
public sealed record PartnerKey(
    Guid Id,
    string Partner,
    string SecretHash,
    IReadOnlyList<PartnerRole> Roles,
    IReadOnlyList<string> Communities,
    int RequestsPerSecond,
    DateTimeOffset IssuedAt,
    DateTimeOffset? RevokedAt) : IAggregate<PartnerKey>
{
    /// <summary>The scope of a key that works in every community (a county bureau, the operator).</summary>
    public const string AllCommunities = "*";

    public const int MaxRequestsPerSecond = 10_000;

    public static IReadOnlyList<Type> EventTypes { get; } = [typeof(PartnerKeyIssued), typeof(PartnerKeyRevoked)];

    public bool IsRevoked => RevokedAt is not null;

    public bool CoversAllCommunities => Communities.Contains(AllCommunities);

    /// <summary>Whether the key works in a community (<c>*</c>: whether it works in all of them).</summary>
    public bool Covers(string community) => CoversAllCommunities || Communities.Contains(community);

    /// <summary>Whether the key covers every one of these communities: what it takes to manage a key for them.</summary>
    public bool CoversAll(IEnumerable<string> communities) => communities.All(Covers);

    /// <summary>Whether the key holds one of the roles (an admin holds them all).</summary>
    public bool Holds(IReadOnlyCollection<PartnerRole> anyOf) => Roles.Contains(PartnerRole.Admin) || anyOf.Count == 0 || anyOf.Any(Roles.Contains);

    public static PartnerKey? Evolve(PartnerKey? state, object @event) => (state, @event) switch
    {
        (null, PartnerKeyIssued issued) => new PartnerKey(
            issued.KeyId, issued.Partner, issued.SecretHash, issued.Roles, issued.Communities, issued.RequestsPerSecond, issued.IssuedAt, null),
        ({ } key, PartnerKeyRevoked revoked) => key with { RevokedAt = revoked.RevokedAt },
        _ => state,
    };
}

/// <summary>Decides issuing and revoking keys.</summary>
public static class PartnerKeys
{
    /// <summary>
    /// A key may be issued by an admin key (or, with <paramref name="issuer"/> null, from the service's command
    /// line, which is how the first admin key is made); never for communities or roles beyond the issuer's own.
    /// </summary>
    public static Decision<PartnerKeyIssued> Issue(
        PartnerKey? issuer, Guid keyId, string partner, string secretHash, IReadOnlyList<PartnerRole> roles, IReadOnlyList<string> communities,
        int requestsPerSecond, string by, TimeProvider clock)
    {
        if (issuer is not null && !issuer.CoversAll(communities))
        {
            return Rejection.RuleBroken("beyond-own-communities", "communities", "A key can only be issued for communities the issuing key covers.");
        }

        if (issuer is not null && requestsPerSecond > issuer.RequestsPerSecond)
        {
            return Rejection.RuleBroken("beyond-own-rate", "requestsPerSecond", $"A key can only be issued for at most the issuing key's own rate, {issuer.RequestsPerSecond} requests a second.");
        }

        return new PartnerKeyIssued(keyId, partner, secretHash, roles.Distinct().Order().ToList(), communities.Distinct().Order(StringComparer.Ordinal).ToList(),
            requestsPerSecond, by, clock.GetUtcNow());
    }

    public static Decision<PartnerKeyRevoked> Revoke(PartnerKey? issuer, PartnerKey? key, string by, TimeProvider clock)
    {
        if (key is null || (issuer is not null && !issuer.CoversAll(key.Communities)))
        {
            return Rejection.NotFound("unknown-key", "keyId", "No key with this id among those this key manages.");
        }

        if (key.IsRevoked) return Rejection.Conflict("key-revoked", "keyId", $"The key was revoked at {key.RevokedAt:O}.");
        return new PartnerKeyRevoked(key.Id, by, clock.GetUtcNow());
    }
}
