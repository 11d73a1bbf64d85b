using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using Marten;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Domain.Communities;
using Wolverine.Http;
using Wolverine.Http.CodeGen;

namespace TimeBank.Api.Communities;

/// <summary>
/// Reads the community a request's route names once, before the endpoint, for every endpoint that takes it
/// (<c>[NotBody] Community home</c>): a route naming no registered community is answered
/// <c>404 unknown-community</c> there, and the endpoint never sees it. It runs after the access check, the
/// idempotency step and validation, so a bad key, a replayed request or a bad body is answered as before, and
/// through the endpoint's own session. An endpoint that
/// takes the community without <c>{community}</c> in its route stops the service from starting. The few reads of a
/// community left in endpoints have their reasons (README, Design notes): the deposit's batch, a change of the
/// community's own stream, the closing's community as of the quarter, <see cref="UnknownId"/>, a transfer's destination.
/// </summary>
public sealed class CommunityLoadingPolicy : IHttpPolicy
{
    public const string RouteArgument = "community";

    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains)
        {
            var parameters = chain.Method.Method.GetParameters();
            if (parameters.All(p => p.ParameterType != typeof(Community))) continue;
            if (chain.RoutePattern?.Parameters.Any(p => p.Name == RouteArgument) != true)
            {
                throw new InvalidOperationException($"The endpoint {chain.RoutePattern?.RawText} takes a community but its route names none: put {{{RouteArgument}}} in it.");
            }

            // Through the request's own session (Wolverine hands the endpoint's document session to a query).
            var load = new MethodCall(typeof(CommunityLoading), nameof(CommunityLoading.LoadAsync)) { CommentText = "The community the route names, once for the whole request" };
            // Not "community": that is the route's text.
            load.ReturnVariable!.OverrideName("home");
            var found = new MethodCall(typeof(CommunityLoading), nameof(CommunityLoading.Found));
            // After every step the other policies put first (access, idempotency, validation).
            chain.Middleware.AddRange([load, found, new MaybeEndWithResultFrame(found.ReturnVariable!)]);
        }
    }
}

/// <summary>Called by the generated code of every endpoint that takes the community (<see cref="CommunityLoadingPolicy"/>).</summary>
public static class CommunityLoading
{
    public static Task<Community?> LoadAsync(HttpContext context, IQuerySession session, CancellationToken cancellation) =>
        session.LoadCommunityAsync(CodeOf(context), cancellation);

    public static IResult Found(HttpContext context, Community? community) =>
        community is null ? ProblemResponses.CommunityNotFound(CodeOf(context)) : WolverineContinue.Result();

    private static string CodeOf(HttpContext context) =>
        context.Request.RouteValues.TryGetValue(CommunityLoadingPolicy.RouteArgument, out var code) && code is string text ? text : "";
}
