using System.Reflection;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using Marten;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Domain.Partners;
using Wolverine.Http;
using Wolverine.Http.CodeGen;

namespace TimeBank.Api.Partners;

/// <summary>
/// Puts the access check first in every endpoint, and records on each the roles it needs. An endpoint that
/// changes something without saying which role it needs stops the service from starting, so no endpoint can
/// skip the check. It also stamps the caller on the events a write appends.
/// </summary>
public sealed class AccessPolicy : IHttpPolicy
{
    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains)
        {
            var method = chain.Method.Method;
            var roles = method.GetCustomAttribute<RequiresRoleAttribute>()?.Roles;
            if (roles is null && !chain.HttpMethods.All(m => m == "GET"))
            {
                throw new InvalidOperationException($"The endpoint {chain.RoutePattern?.RawText} changes something but names no role: give it [RequiresRole(...)].");
            }

            chain.Metadata.WithMetadata(new AccessRule(roles ?? [], method.GetCustomAttribute<AllCommunitiesAttribute>() is not null));

            var frames = new List<Frame>();
            var check = new MethodCall(typeof(PartnerAccess), nameof(PartnerAccess.CheckAsync)) { CommentText = "Who is calling, in which community, with which role" };
            frames.Add(check);
            frames.Add(new MaybeEndWithResultFrame(check.ReturnVariable!));
            if (method.GetParameters().Any(p => p.ParameterType == typeof(IDocumentSession)))
            {
                frames.Add(new MethodCall(typeof(EventMetadata), nameof(EventMetadata.Stamp)) { CommentText = "Say on every event who did it, and in which request" });
            }

            chain.Middleware.InsertRange(0, frames);
        }
    }
}

/// <summary>What every appended event carries besides its data: the partner key, and the request's correlation id.</summary>
public static class EventMetadata
{
    public const string PartnerKeyHeader = "partner-key";
    public const string PartnerHeader = "partner";

    public static void Stamp(HttpContext context, IDocumentSession session)
    {
        // The same id the answer echoes (CorrelationIds, for every request).
        session.CorrelationId = CorrelationIds.Of(context);
        if (Caller.Of(context) is { } caller)
        {
            session.SetHeader(PartnerKeyHeader, caller.Key.Id.ToString());
            session.SetHeader(PartnerHeader, caller.Key.Partner);
        }
    }
}
