using TimeBank.Domain.Shared;

namespace TimeBank.Domain.GridWorkers;

/// <summary>
/// A grid worker (网格员) of the residents' committee, responsible for the households of a block. Name and
/// phone are personal data, kept outside the event log.
/// </summary>
public sealed record GridWorkerRegistered(Guid GridWorkerId, string? Block, string RegisteredBy, DateTimeOffset RegisteredAt);

public sealed record GridWorker(Guid Id, string? Block) : IAggregate<GridWorker>
{
    public static IReadOnlyList<Type> EventTypes { get; } = [typeof(GridWorkerRegistered)];

    public static GridWorker? Evolve(GridWorker? state, object @event) => (state, @event) switch
    {
        (null, GridWorkerRegistered registered) => new GridWorker(registered.GridWorkerId, registered.Block),
        _ => state,
    };
}
