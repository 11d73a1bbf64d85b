namespace TimeBank.Api.Infrastructure.EventStore;

/// <summary>
/// A view as the two pure functions it is made of: which documents an event changes, and how it changes each.
/// The live projection runs them inside Marten; the audit replay (<see cref="Audit.ProjectionReplay"/>) runs the
/// very same functions over the event log in memory and compares what it folds with the stored documents.
/// </summary>
public interface IFoldedView
{
    /// <summary>The document type the view keeps.</summary>
    Type ViewType { get; }

    /// <summary>The ids of the documents <paramref name="event"/> changes; none for an event the view does not read.</summary>
    IEnumerable<object> IdsChangedBy(Guid streamId, object @event);

    /// <summary>The document after <paramref name="event"/>, or null when there is none (yet, or any more).</summary>
    object? Fold(object? view, object id, object @event);
}
