using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Marten;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Domain.Partners;
using Wolverine.Http;

namespace TimeBank.Api.Partners;

/// <summary>Which roles an endpoint that changes something needs (an admin key may call every endpoint of its communities).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresRoleAttribute(params PartnerRole[] roles) : Attribute
{
    public IReadOnlyList<PartnerRole> Roles { get; } = roles;
}

/// <summary>An endpoint not under one community (a county, the list of communities) needs a key for all communities.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AllCommunitiesAttribute : Attribute;

/// <summary>What the access check found, for the endpoint and the event metadata.</summary>
public sealed record Caller(PartnerKey Key)
{
    public static Caller? Of(HttpContext context) => context.Items.TryGetValue(typeof(Caller), out var caller) ? caller as Caller : null;
}

/// <summary>
/// The first step of every endpoint: who is calling (the <c>X-Api-Key</c> header), at what rate, in which
/// community, with which role. Missing or wrong key: 401. A community the key does not cover: 404, exactly as
/// if it did not exist. A role the key does not hold: 403. Too many requests for the key: 429 with Retry-After.
/// </summary>
public static class PartnerAccess
{
    public const string KeyHeader = "X-Api-Key";

    // Each node limits each key on its own, with the framework's token bucket: with N nodes behind a balancer a
    // key gets at most N times its rate; nothing of it needs to be shared between nodes.
    private static readonly ConcurrentDictionary<Guid, RateLimiter> Limiters = new();

    /// <summary>
    /// Failed authentication, per client address: <see cref="FailuresPerSecond"/> a second, bursts of twice that. An
    /// address over it is answered 429 before its key is looked up, so guessing keys costs the database nothing.
    /// Per node, like the keys' own rates; idle addresses are forgotten by the framework's partitioned limiter.
    /// </summary>
    public const int FailuresPerSecond = 10;

    private static readonly PartitionedRateLimiter<string> FailedAuthentications = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetTokenBucketLimiter(address, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = FailuresPerSecond * 2,
            TokensPerPeriod = FailuresPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    /// <summary>Called by the generated code of every endpoint, before anything else.</summary>
    public static async Task<IResult> CheckAsync(HttpContext context, IDocumentStore store, PartnerKeyCache keys)
    {
        var rule = context.GetEndpoint()?.Metadata.GetMetadata<AccessRule>() ?? AccessRule.AnyRole;
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (FailedAuthentications.GetStatistics(address)?.CurrentAvailablePermits <= 0) return TooManyFailures(context);
        var sent = context.Request.Headers[KeyHeader].FirstOrDefault();
        if (string.IsNullOrEmpty(sent)) return Failed(context, address, "missing-api-key", $"Send the partner key in the {KeyHeader} header.");

        PartnerKey? key = null;
        if (PartnerKeySecrets.TryParse(sent, out var keyId, out var secret))
        {
            key = await keys.FindAsync(keyId, store, context.RequestAborted);
        }

        if (key is null || key.IsRevoked || !PartnerKeySecrets.Matches(secret, key.SecretHash))
        {
            return Failed(context, address, "invalid-api-key", "The partner key is not valid, or was revoked.");
        }

        var limiter = Limiters.GetOrAdd(key.Id, _ => NewLimiter(key.RequestsPerSecond));
        using var lease = limiter.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            context.Response.Headers.RetryAfter = "1";
            return ProblemResponses.Problem(StatusCodes.Status429TooManyRequests, "rate-limited", "Too many requests.",
                $"This key may make {key.RequestsPerSecond} requests a second; retry after a second.");
        }

        if (context.Request.RouteValues.TryGetValue("community", out var community) && community is string code && !key.Covers(code))
        {
            return ProblemResponses.CommunityNotFound(code);
        }

        if (rule.AllCommunities && !key.CoversAllCommunities)
        {
            return Forbidden("all-communities-key-required", "This endpoint needs a key for all communities.");
        }

        if (!key.Holds(rule.Roles))
        {
            return Forbidden("role-not-held", $"This endpoint needs the role {string.Join(" or ", rule.Roles.Select(r => r.ToString().ToLowerInvariant()))}.");
        }

        context.Items[typeof(Caller)] = new Caller(key);
        return WolverineContinue.Result();
    }

    private static RateLimiter NewLimiter(int perSecond) => new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
    {
        TokenLimit = perSecond * 2,
        TokensPerPeriod = perSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    });

    /// <summary>A failed authentication: 401, or 429 once the address has used up its failures.</summary>
    private static IResult Failed(HttpContext context, string address, string code, string detail)
    {
        using var failure = FailedAuthentications.AttemptAcquire(address);
        return failure.IsAcquired ? Unauthorized(context, code, detail) : TooManyFailures(context);
    }

    private static IResult TooManyFailures(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "1";
        return ProblemResponses.Problem(StatusCodes.Status429TooManyRequests, "too-many-failed-authentications", "Too many requests without a valid key.",
            $"This address sent more than {FailuresPerSecond} requests a second without a valid partner key; retry after a second with a valid one.");
    }

    private static IResult Unauthorized(HttpContext context, string code, string detail)
    {
        context.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{KeyHeader}\"";
        return ProblemResponses.Problem(StatusCodes.Status401Unauthorized, code, "Who is calling?", detail);
    }

    private static IResult Forbidden(string code, string detail) => ProblemResponses.Problem(StatusCodes.Status403Forbidden, code, "Not allowed.", detail);
}

/// <summary>The roles an endpoint needs (none: any role) and whether it needs a key for all communities.</summary>
public sealed record AccessRule(IReadOnlyList<PartnerRole> Roles, bool AllCommunities)
{
    public static readonly AccessRule AnyRole = new([], false);
}
