using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;
using TimeBank.Api.Communities;
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
public sealed class ElderCareRecordProjection : MultiStreamProjection<ElderCareRecord, Guid>
{
    public ElderCareRecordProjection()
    {
        Identities<ServiceRecorded>(e => e.ElderIds);
        Identities<ServiceReversed>(e => e.ElderIds);
    }

    public override ElderCareRecord? Evolve(ElderCareRecord? snapshot, Guid id, IEvent e) => ElderCareRecord.Evolve(snapshot, id, e.Data);
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
    public static void ConfigureCareRecords(this StoreOptions options) =>
        options.Projections.Add(new ElderCareRecordProjection(), ProjectionLifecycle.Async);

    [WolverineGet("/api/v1/communities/{community}/elders/{elderId}/care-record", Name = "GetCareRecord")]
    [Tags("Elders")]
    public static async Task<IResult> Get(string community, Guid elderId, IQuerySession session, CancellationToken cancellation)
    {
        var elder = await session.LoadAsync<Elder>(elderId, cancellation);
        if (elder is null)
        {
            return await session.NotFoundInAsync(community, "unknown-elder", "No elder with this id is registered in this community.", cancellation);
        }

        var record = await session.LoadAsync<ElderCareRecord>(elderId, cancellation) ?? ElderCareRecord.Empty(elderId);
        return Results.Ok(new CareRecordResponse(
            elder.Id, elder.Category, elder.CategoryHistory, elder.Pairing, record.ServicesReceived, record.MinutesReceived, record.LastServiceAt, record.ByMonthAndType));
    }
}
