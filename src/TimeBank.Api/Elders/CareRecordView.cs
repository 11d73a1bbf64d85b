using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events;
using Marten.Events.Projections;
using TimeBank.Api.Audit;
using TimeBank.Api.Communities;
using TimeBank.Api.Infrastructure.EventStore;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Domain.Elders;
using TimeBank.Domain.Services;
using Wolverine.Http;

namespace TimeBank.Api.Elders;

/// <summary>
/// Gathers each elder's care record from the service events on every volunteer's stream. Async: it spans
/// many streams, nobody reads it in the request that records a service, and keeping it off the write path
/// keeps recording fast. It lags the ledger by the daemon's catch-up time (normally well under a second).
/// </summary>
public sealed class ElderCareRecordProjection : MultiStreamProjection<ElderCareRecord, Guid>, IFoldedView
{
    public ElderCareRecordProjection()
    {
        Identities<ServiceRecorded>(e => IdsChangedBy(e).ToList());
        Identities<ServiceReversed>(e => IdsChangedBy(e).ToList());
    }

    public override ElderCareRecord? Evolve(ElderCareRecord? snapshot, Guid id, IEvent e) => ElderCareRecord.Evolve(snapshot, id, e.Data);

    private static IEnumerable<Guid> IdsChangedBy(object @event) => @event switch
    {
        ServiceRecorded r => r.ElderIds,
        ServiceReversed r => r.ElderIds,
        _ => [],
    };

    Type IFoldedView.ViewType => typeof(ElderCareRecord);

    IEnumerable<object> IFoldedView.IdsChangedBy(Guid streamId, object @event) => IdsChangedBy(@event).Cast<object>();

    object? IFoldedView.Fold(object? view, object id, object @event) => ElderCareRecord.Evolve((ElderCareRecord?)view, (Guid)id, @event);
}

/// <summary>An elder's care record: category and its history, current pairing, and the services received.</summary>
public sealed record CareRecordResponse(
    Guid ElderId,
    CareCategory CareCategory,
    IReadOnlyList<CareCategoryPeriod> CareCategoryHistory,
    ActivePairing? Pairing,
    int ServicesReceived,
    int MinutesReceived,
    DateTimeOffset? LastServiceAt,
    IReadOnlyList<MonthlyServices> ByMonthAndType);

public static class CareRecordViewEndpoint
{
    /// <summary>An elder's care record: the pairing, the services received and the care category history, now or as of a moment of the past.</summary>
    [WolverineGet("/api/v1/communities/{community}/elders/{elderId}/care-record", Name = "GetCareRecord")]
    [Tags("Elders")]
    public static async Task<Results<Ok<CareRecordResponse>, ProblemHttpResult>> Get(string community, Guid elderId, string? asOf, long? asOfSequence, IQuerySession session, CancellationToken cancellation)
    {
        if (AsOf.Read(asOf, asOfSequence, out var point) is { } refused) return refused;
        var elder = point is null
            ? await session.LoadAsync<Elder>(elderId, cancellation)
            : (await point.StreamAsync(session, elderId, cancellation)).Aggregate((Elder?)null, (e, x) => Elder.Evolve(e, x.Data));
        if (elder is null)
        {
            return await UnknownId.Elder.AnswerAsync(session, community, cancellation);
        }

        var record = point is null
            ? await session.LoadAsync<ElderCareRecord>(elderId, cancellation) ?? ElderCareRecord.Empty(elderId)
            : await ElderCareHistory.RecordAsOfAsync(session, elderId, point, cancellation);
        return TypedResults.Ok(new CareRecordResponse(
            elder.Id, elder.Category, elder.CategoryHistory, elder.Pairing, record.ServicesReceived, record.MinutesReceived, record.LastServiceAt, record.ByMonthAndType));
    }

}
