using TimeBank.Domain.Shared;

namespace TimeBank.Domain.Proxies;

/// <summary>
/// The community approved a family member or grid worker to act for a person: for an elder, to confirm or
/// dispute the services they receive; for a volunteer, to ask for time-savings services from their account.
/// Appended to the stream of the person acted for. Every event a proxy causes records whom they acted for.
/// </summary>
public sealed record ProxyApproved(Guid PersonId, Guid ProxyId, string ApprovedBy, DateTimeOffset ApprovedAt);

/// <summary>The proxy no longer acts for the person.</summary>
public sealed record ProxyRevoked(Guid PersonId, Guid ProxyId, string RevokedBy, DateTimeOffset RevokedAt);

/// <summary>Decides approvals and revocations of proxies.</summary>
public static class ProxyRules
{
    /// <param name="current">The proxies approved so far for the person.</param>
    /// <param name="eligible">Whether the proxy is a registered family member of the person or a grid worker of the community.</param>
    public static Decision<ProxyApproved> Approve(Guid personId, IReadOnlyList<Guid> current, Guid proxyId, bool eligible, string by, TimeProvider clock)
    {
        if (!eligible) return Rejection.RuleBroken("proxy-not-eligible", "proxyId", "A proxy is a registered family member of the person or a grid worker of the community.");
        if (current.Contains(proxyId)) return Rejection.Conflict("already-a-proxy", "proxyId", "This person already acts for them.");
        return new ProxyApproved(personId, proxyId, by, clock.GetUtcNow());
    }

    public static Decision<ProxyRevoked> Revoke(Guid personId, IReadOnlyList<Guid> current, Guid proxyId, string by, TimeProvider clock) =>
        current.Contains(proxyId)
            ? new ProxyRevoked(personId, proxyId, by, clock.GetUtcNow())
            : Rejection.NotFound("unknown-proxy", "proxyId", "This person does not act for them.");
}
