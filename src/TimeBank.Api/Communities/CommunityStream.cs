using Marten;
using TimeBank.Api.Infrastructure.EventStore;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Shared;

namespace TimeBank.Api.Communities;

/// <summary>
/// The write of every change a community makes to itself (its rules, catalogue, care cadence, scoring rules),
/// whichever module's endpoint asks for it: on the community's own stream, whose version guards concurrent
/// changes and answers If-Match.
/// </summary>
public static class CommunityStream
{
    /// <summary>Decides a change on the community's own stream and answers with the community as changed.</summary>
    public static Task<Results<Ok<CommunityResponse>, ProblemHttpResult>> ChangeAsync<TEvent>(
        HttpContext context, IDocumentSession session, string community, CancellationToken cancellation, Func<Community, Decision<TEvent>> decide)
        where TEvent : class =>
        ChangeAsync(context, session, community, cancellation, decide, CommunityResponse.From);

    /// <summary>
    /// Decides a change on the community's own stream (its version guards concurrent changes) and answers
    /// with the community as changed, shaped by <paramref name="respond"/>.
    /// </summary>
    public static async Task<Results<Ok<TResponse>, ProblemHttpResult>> ChangeAsync<TEvent, TResponse>(
        HttpContext context, IDocumentSession session, string community, CancellationToken cancellation, Func<Community, Decision<TEvent>> decide,
        Func<Community, TResponse> respond)
        where TEvent : class
    {
        if (!CommunityCode.IsValid(community)) return ProblemResponses.CommunityNotFound(community);
        return await StreamChanges.ChangeAsync(
            context, session, CommunityCode.StreamId(community), () => Task.FromResult(ProblemResponses.CommunityNotFound(community)), decide, respond, cancellation);
    }
}
