using FluentValidation;
using Marten;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Partners;
using TimeBank.Domain.Shared;
using Wolverine.Http;

namespace TimeBank.Api.Partners;

/// <summary>
/// Issue a key to a partner system, with its roles and the communities it works in (codes, or <c>*</c> for
/// all). <paramref name="RequestsPerSecond"/> is its rate limit (100 if left out).
/// </summary>
public sealed record IssueKey(string Partner, IReadOnlyList<PartnerRole>? Roles, IReadOnlyList<string>? Communities, int? RequestsPerSecond, string RecordedBy) : IExampleRequest<IssueKey>
{
    public static IssueKey Example => new("yingze-community-system", [PartnerRole.Recorder, PartnerRole.Reader], ["taiyuan-yingze-01"], 50, "admin-01");

    public sealed class Validator : AbstractValidator<IssueKey>
    {
        public Validator()
        {
            RuleFor(c => c.Partner).NotEmpty().MaximumLength(80);
            RuleFor(c => c.Roles).NotEmpty();
            RuleForEach(c => c.Roles).IsInEnum();
            RuleFor(c => c.Communities).NotEmpty();
            RuleForEach(c => c.Communities).Must(c => c == PartnerKey.AllCommunities || CommunityCode.IsValid(c)).WithMessage("Give community codes, or * for all.");
            RuleFor(c => c.RequestsPerSecond).InclusiveBetween(1, PartnerKey.MaxRequestsPerSecond);
            RuleFor(c => c.RecordedBy).Recorder();
        }
    }
}

public sealed record RevokeKey(string RecordedBy) : IExampleRequest<RevokeKey>
{
    public static RevokeKey Example => new("admin-01");

    public sealed class Validator : AbstractValidator<RevokeKey>
    {
        public Validator() => RuleFor(c => c.RecordedBy).Recorder();
    }
}

/// <summary>A key as listed: never its secret.</summary>
public sealed record KeyResponse(Guid KeyId, string Partner, IReadOnlyList<PartnerRole> Roles, IReadOnlyList<string> Communities, int RequestsPerSecond,
    DateTimeOffset IssuedAt, DateTimeOffset? RevokedAt)
{
    public static KeyResponse From(PartnerKey k) => new(k.Id, k.Partner, k.Roles, k.Communities, k.RequestsPerSecond, k.IssuedAt, k.RevokedAt);
}

/// <summary>A key just issued: the only time its full text is shown. Keep it secret; the service cannot show it again.</summary>
public sealed record IssuedKeyResponse(Guid KeyId, string Key, string Partner, IReadOnlyList<PartnerRole> Roles, IReadOnlyList<string> Communities, int RequestsPerSecond);

public static class KeyEndpoints
{
    public const int DefaultRequestsPerSecond = 100;

    [WolverinePost("/api/v1/keys", Name = "IssueKey")]
    [Tags("Keys")]
    [RequiresRole(PartnerRole.Admin)]
    public static Results<Created<IssuedKeyResponse>, ProblemHttpResult> Issue(IssueKey command, HttpContext context, IDocumentSession session, TimeProvider clock)
    {
        var (issued, rejection) = IssueOn(session, Caller.Of(context)!.Key, command, clock);
        return rejection is not null ? ProblemResponses.From(rejection) : TypedResults.Created($"/api/v1/keys/{issued!.KeyId}", issued);
    }

    /// <summary>The partner keys this key may see (its communities), never their secrets.</summary>
    [WolverineGet("/api/v1/keys", Name = "ListKeys")]
    [Tags("Keys")]
    [RequiresRole(PartnerRole.Admin)]
    public static async Task<Ok<IEnumerable<KeyResponse>>> List(HttpContext context, IQuerySession session, CancellationToken cancellation)
    {
        var caller = Caller.Of(context)!.Key;
        var keys = await session.Query<PartnerKey>().OrderBy(k => k.IssuedAt).ToListAsync(cancellation);
        return TypedResults.Ok(keys.Where(k => caller.CoversAll(k.Communities)).Select(KeyResponse.From));
    }

    /// <summary>The key this request is sent with: its partner, roles and communities (never its secret), so a client can tell what it may do.</summary>
    [WolverineGet("/api/v1/keys/current", Name = "GetCurrentKey")]
    [Tags("Keys")]
    public static Ok<KeyResponse> Current(HttpContext context) => TypedResults.Ok(KeyResponse.From(Caller.Of(context)!.Key));

    /// <summary>Revoke a partner key: from now on every node refuses it with 401.</summary>
    [WolverinePost("/api/v1/keys/{keyId}/revocation", Name = "RevokeKey")]
    [Tags("Keys")]
    [RequiresRole(PartnerRole.Admin)]
    public static async Task<Results<Ok<KeyResponse>, ProblemHttpResult>> Revoke(Guid keyId, RevokeKey command, HttpContext context, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var stream = await session.Events.FetchForWriting<PartnerKey>(keyId, cancellation);
        var decision = PartnerKeys.Revoke(Caller.Of(context)!.Key, stream.Aggregate, command.RecordedBy, clock);
        if (decision.Rejection is { } rejection) return ProblemResponses.From(rejection);
        stream.AppendOne(decision.Event!);
        return TypedResults.Ok(KeyResponse.From(PartnerKey.Evolve(stream.Aggregate, decision.Event!)!));
    }

    /// <summary>Issues a key on behalf of <paramref name="issuer"/> (null: the service's command line). The one way keys are made.</summary>
    public static (IssuedKeyResponse? Issued, Rejection? Rejection) IssueOn(IDocumentSession session, PartnerKey? issuer, IssueKey command, TimeProvider clock)
    {
        var (keyId, key, hash) = PartnerKeySecrets.NewKey();
        var decision = PartnerKeys.Issue(issuer, keyId, command.Partner, hash, command.Roles!, command.Communities!,
            command.RequestsPerSecond ?? Math.Min(DefaultRequestsPerSecond, issuer?.RequestsPerSecond ?? int.MaxValue), command.RecordedBy, clock);
        if (decision.Rejection is { } rejection) return (null, rejection);

        var issued = decision.Event!;
        session.Events.StartStream<PartnerKey>(keyId, issued);
        return (new IssuedKeyResponse(keyId, key, issued.Partner, issued.Roles, issued.Communities, issued.RequestsPerSecond), null);
    }
}
