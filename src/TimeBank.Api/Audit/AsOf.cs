using JasperFx.Events;
using Marten;
using TimeBank.Api.Infrastructure.Http;

namespace TimeBank.Api.Audit;

/// <summary>
/// A moment of the ledger's past: a time (when events were appended) or a place in the log (a sequence number),
/// or both. An account as of it is folded from exactly the events appended up to it, as it stood then.
/// </summary>
public sealed record AsOf(DateTimeOffset? At, long? Sequence)
{
    /// <summary>
    /// Reads <c>asOf</c> (a time with its offset; in a URL write <c>+</c> as <c>%2B</c>, or use <c>Z</c>) and
    /// <c>asOfSequence</c>; none when neither is given, a refusal naming the field that does not parse.
    /// </summary>
    public static ProblemHttpResult? Read(string? asOf, long? asOfSequence, out AsOf? point)
    {
        point = null;
        if (InstantsWithOffset.ReadQuery(asOf, "asOf", out var at) is { } refused) return refused;

        if (asOfSequence is < 0) return ProblemResponses.Validation("asOfSequence", "Send a sequence number of the log, 0 or more.");
        if (at is not null || asOfSequence is not null) point = new AsOf(at, asOfSequence);
        return null;
    }

    public bool Includes(IEvent e) => (At is null || e.Timestamp <= At) && (Sequence is null || e.Sequence <= Sequence);

    /// <summary>A stream's events appended up to this moment, in order.</summary>
    public async Task<IReadOnlyList<IEvent>> StreamAsync(IQuerySession session, Guid streamId, CancellationToken cancellation) =>
        [.. (await session.Events.FetchStreamAsync(streamId, token: cancellation)).Where(Includes)];
}
