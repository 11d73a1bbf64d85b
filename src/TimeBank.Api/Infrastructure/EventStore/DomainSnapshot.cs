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
}

/// <summary>
/// Keeps one document per id that events name (a service, a pairing, a request), gathered from whichever
/// streams those events live on, and folded by the domain's pure evolve function.
/// </summary>
public sealed class DomainView<TView, TEvent> : MultiStreamProjection<TView, Guid>, IFoldedView
    where TView : class
    where TEvent : notnull
{
    private readonly Func<TEvent, Guid> _idOf;
    private readonly Func<TView?, object, TView?> _evolve;

    public DomainView(Func<TEvent, Guid> idOf, Func<TView?, object, TView?> evolve)
    {
        _idOf = idOf;
        _evolve = evolve;
        Identity(idOf);
    }

    public override TView? Evolve(TView? snapshot, Guid id, IEvent e) => _evolve(snapshot, e.Data);

    Type IFoldedView.ViewType => typeof(TView);

    IEnumerable<object> IFoldedView.IdsChangedBy(Guid streamId, object @event) => @event is TEvent named ? [_idOf(named)] : [];

    object? IFoldedView.Fold(object? view, object id, object @event) => _evolve((TView?)view, @event);
}
