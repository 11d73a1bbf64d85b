using JasperFx.Events;
using Marten;
using Marten.Events;
using TimeBank.Api.Audit;
using TimeBank.Api.Infrastructure.EventStore;
using TimeBank.Domain.Elders;
using TimeBank.Domain.Services;

namespace TimeBank.Api.Elders;

public static class EldersConfiguration
{
    /// <summary>The elder snapshot is inline: recording a service checks the elders it names right away.</summary>
    public static void ConfigureElders(this StoreOptions options) =>
        options.AddInlineSnapshot<Elder>();
}

/// <summary>An elder's care record as recorded at a moment, for the reads and audits that ask as of then.</summary>
public static class ElderCareHistory
{
    /// <summary>
    /// The care record folded from the services that named the elder, appended up to a moment of the past. It
    /// reads the community's service events (the view keeps no history): an auditor's query, not a hot path.
    /// </summary>
    public static async Task<ElderCareRecord> RecordAsOfAsync(IQuerySession session, Guid elderId, AsOf point, CancellationToken cancellation)
    {
        var query = session.Events.QueryAllRawEvents().Where(e => e.EventTypesAre(typeof(ServiceRecorded), typeof(ServiceReversed)));
        if (point.Sequence is { } sequence) query = query.Where(e => e.Sequence <= sequence);
        if (point.At is { } at) query = query.Where(e => e.Timestamp <= at);
        var services = await query.OrderBy(e => e.Sequence).ToListAsync(cancellation);
        return services
            .Where(e => e.Data is ServiceRecorded { ElderIds: var recorded } ? recorded.Contains(elderId) : ((ServiceReversed)e.Data).ElderIds.Contains(elderId))
            .Aggregate(ElderCareRecord.Empty(elderId), (record, e) => ElderCareRecord.Evolve(record, elderId, e.Data));
    }
}
