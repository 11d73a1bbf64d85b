using Marten;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Domain.Shared;

namespace TimeBank.Api.Infrastructure.EventStore;

/// <summary>
/// The write every endpoint that changes one stream shares: fetch the stream for writing (its version guards the
/// append, and a write that loses the race to it is decided again: <see cref="LostRaces"/>), refuse a stale
/// If-Match, let the domain decide, append the event or answer its rejection, and answer with the stream's new
/// version as the ETag and with the aggregate as the event left it.
/// </summary>
public static class StreamChanges
{
    /// <param name="unknown">The answer when the stream does not exist (each kind of id has its own: <c>UnknownId</c>).</param>
    /// <param name="decide">The domain's decision on the aggregate as fetched.</param>
    /// <param name="respond">The answer's body, from the aggregate after the event.</param>
    public static async Task<Results<Ok<TResponse>, ProblemHttpResult>> ChangeAsync<TAggregate, TEvent, TResponse>(
        HttpContext context, IDocumentSession session, Guid streamId, Func<Task<ProblemHttpResult>> unknown,
        Func<TAggregate, Decision<TEvent>> decide, Func<TAggregate, TResponse> respond, CancellationToken cancellation)
        where TAggregate : class, IAggregate<TAggregate>
        where TEvent : class
    {
        var stream = await session.Events.FetchForWriting<TAggregate>(streamId, cancellation);
        if (stream.Aggregate is not { } current) return await unknown();
        if (StreamVersions.Refusal(context, stream) is { } stale) return stale;

        var decision = decide(current);
        if (decision.Rejection is { } rejection) return ProblemResponses.From(rejection);
        stream.AppendOne(decision.Event!);
        StreamVersions.TagAfterAppend(context, stream);
        return TypedResults.Ok(respond(TAggregate.Evolve(current, decision.Event!)!));
    }
}
