namespace TimeBank.Domain.Shared;

/// <summary>
/// A state built from one event stream by a pure fold. The event store calls <see cref="Evolve"/> for each
/// event in order; the domain alone says what an event means, and tests can fold events without a database.
/// </summary>
public interface IAggregate<TSelf>
    where TSelf : class, IAggregate<TSelf>
{
    Guid Id { get; }

    /// <summary>The state after <paramref name="event"/>: a new state, the same one for an event it ignores, or null before the stream's first event.</summary>
    static abstract TSelf? Evolve(TSelf? state, object @event);

    /// <summary>The event types this aggregate reads, so the store knows them before it first meets one.</summary>
    static abstract IReadOnlyList<Type> EventTypes { get; }
}
