using JasperFx.Events;
using Marten;
using Marten.Events;
using TimeBank.Api.Communities;
using TimeBank.Api.Infrastructure.Http;

namespace TimeBank.Api.Infrastructure.EventStore;

/// <summary>
/// Lists things in the order they were created, paged by the sequence number of the event that created each.
/// Only events below the store's high-water mark are listed: below it every sequence number is committed or
/// will never be, so a page never skips an item that commits late and a cursor never passes one that is still
/// to come. A new item appears in lists once the daemon has moved the mark past it (normally within a second).
/// </summary>
public static class CreationOrder
{
    /// <summary>
    /// The ids of one page of a community's things (the created stream's id unless <paramref name="idOf"/> says
    /// otherwise), oldest first; or the refusal of a bad cursor or limit. The community is the session's tenant
    /// (its existence is checked before the endpoint: CommunityLoadingPolicy).
    /// </summary>
    public static async Task<(ProblemHttpResult? Refusal, IReadOnlyList<Guid> Ids, long? NextAfter)> PageOfIdsAsync(
        IQuerySession session, long? after, int? limit, Type[] creationEvents, CancellationToken cancellation, Func<IEvent, Guid>? idOf = null)
    {
        if (Paging.Refusal(after, limit) is { } refused) return (refused, [], null);
        var (events, next) = await PageAsync(session, creationEvents, after, limit, cancellation);
        return (null, events.Select(idOf ?? (e => e.StreamId)).ToList(), next);
    }

    /// <summary>The creation events of one page, oldest first.</summary>
    public static async Task<(IReadOnlyList<IEvent> Events, long? NextAfter)> PageAsync(
        IQuerySession session, Type[] creationEvents, long? after, int? limit, CancellationToken cancellation)
    {
        var size = limit ?? Paging.DefaultLimit;
        var settled = await SettledSequenceAsync(session, cancellation);
        var from = after ?? 0;
        var events = await session.Events.QueryAllRawEvents()
            .Where(e => e.EventTypesAre(creationEvents) && e.Sequence > from && e.Sequence <= settled)
            .OrderBy(e => e.Sequence)
            .Take(size + 1)
            .ToListAsync(cancellation);
        var more = events.Count > size;
        var page = more ? events.Take(size).ToList() : events.ToList();
        return (page, more ? page[^1].Sequence : null);
    }

    private static async Task<long> SettledSequenceAsync(IQuerySession session, CancellationToken cancellation)
    {
        var progress = await session.DocumentStore.Advanced.AllProjectionProgress(token: cancellation);
        return progress.FirstOrDefault(p => p.ShardName == "HighWaterMark")?.Sequence ?? 0;
    }
}
