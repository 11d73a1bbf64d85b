using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;
using Marten.Events.Projections;
using TimeBank.Domain.Shared;

namespace TimeBank.Api.Infrastructure.EventStore;

/// <summary>
/// Keeps a document of a domain aggregate per stream, folded by the aggregate's own pure
/// <see cref="IAggregate{TSelf}.Evolve"/>: the meaning of events stays in the domain, the storage here.
/// </summary>
public sealed class DomainSnapshot<T> : SingleStreamProjection<T, Guid>, IFoldedView
    where T : class, IAggregate<T>
{
    private static readonly HashSet<Type> Folded = [.. T.EventTypes];

    /// <summary>
    /// Only the aggregate's own events: a projection that folds any event would have Marten load every kind of
    /// snapshot for every append (a lookup per kind, per transaction), whatever stream it was on.
    /// </summary>
    public DomainSnapshot()
    {
        foreach (var type in T.EventTypes) IncludeType(type);
    }

    public override T? Evolve(T? snapshot, Guid id, IEvent e) => T.Evolve(snapshot, e.Data);

    Type IFoldedView.ViewType => typeof(T);

    IEnumerable<object> IFoldedView.IdsChangedBy(Guid streamId, object @event) => Folded.Contains(@event.GetType()) ? [streamId] : [];

    object? IFoldedView.Fold(object? view, object id, object @event) => T.Evolve((T?)view, @event);
}

public static class DomainSnapshotRegistration
{
    /// <summary>Registers the aggregate's events and keeps its snapshot in the same transaction as each append.</summary>
    public static void AddInlineSnapshot<T>(this StoreOptions options)
        where T : class, IAggregate<T>
    {
        options.Events.AddEventTypes(T.EventTypes);
        options.Projections.Add(new DomainSnapshot<T>(), ProjectionLifecycle.Inline);
    }

    /// <summary>Keeps a <see cref="DomainView{TView, TEvent}"/> in the same transaction as each append, named after its view.</summary>
    public static void AddInlineView<TView, TEvent>(this StoreOptions options, Func<TEvent, Guid> idOf, Func<TView?, object, TView?> evolve, Type startedBy)
        where TView : class
        where TEvent : notnull
    {
        options.Projections.Add(new DomainView<TView, TEvent>(idOf, evolve, startedBy), ProjectionLifecycle.Inline, typeof(TView).Name);
        // Numbered revisions, as Marten keeps for the views it folds itself (the tables were made so).
        options.Schema.For<TView>().UseNumericRevisions(true);
    }
}

/// <summary>
/// Keeps one document per id that events name (a service, a pairing, a request), gathered from whichever
/// streams those events live on, and folded by the domain's pure evolve function. Inline, in the transaction
/// that appends. A view whose first event of the write is the one that starts it (<c>startedBy</c>: a service
/// recorded, an order placed) is not loaded, since there is none yet: it is inserted, so the write costs no read,
/// and an id some other stream already used is refused by the table (saving fails, and the request is decided
/// again on what is now recorded: LostRaces). The others are loaded in one read and folded on.
/// </summary>
public sealed class DomainView<TView, TEvent> : IProjection, IFoldedView
    where TView : class
    where TEvent : notnull
{
    private readonly Func<TEvent, Guid> _idOf;
    private readonly Func<TView?, object, TView?> _evolve;
    private readonly Type _startedBy;

    public DomainView(Func<TEvent, Guid> idOf, Func<TView?, object, TView?> evolve, Type startedBy)
    {
        _idOf = idOf;
        _evolve = evolve;
        _startedBy = startedBy;
    }

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var changes = new Dictionary<Guid, List<object>>();
        foreach (var e in events)
        {
            if (e.Data is not TEvent named) continue;
            var id = _idOf(named);
            if (!changes.TryGetValue(id, out var list)) changes[id] = list = [];
            list.Add(e.Data);
        }

        if (changes.Count == 0) return;
        Guid[] existing = [.. changes.Where(c => c.Value[0].GetType() != _startedBy).Select(c => c.Key)];
        var loaded = existing.Length == 0 ? [] : (await operations.LoadManyAsync<TView>(cancellation, existing)).ToDictionary(IdOf);
        foreach (var (id, changed) in changes)
        {
            var isNew = changed[0].GetType() == _startedBy;
            var before = isNew ? null : loaded.GetValueOrDefault(id);
            var after = changed.Aggregate(before, (view, @event) => _evolve(view, @event));
            if (after is null)
            {
                if (before is not null) operations.Delete<TView>(id);
            }
            else if (isNew)
            {
                operations.Insert(after);
            }
            else
            {
                operations.Store(after);
            }
        }
    }

    Type IFoldedView.ViewType => typeof(TView);

    IEnumerable<object> IFoldedView.IdsChangedBy(Guid streamId, object @event) => @event is TEvent named ? [_idOf(named)] : [];

    object? IFoldedView.Fold(object? view, object id, object @event) => _evolve((TView?)view, @event);

    /// <summary>Every view names its id <c>Id</c>, as Marten's documents do.</summary>
    private static readonly Func<TView, Guid> IdOf = (typeof(TView).GetProperty("Id")?.GetMethod
        ?? throw new InvalidOperationException($"{typeof(TView).Name} has no Id.")).CreateDelegate<Func<TView, Guid>>();
}
