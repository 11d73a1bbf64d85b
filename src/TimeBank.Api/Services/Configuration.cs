using JasperFx.Events.Projections;
using Marten;
using Marten.Services.BatchQuerying;
using TimeBank.Api.Infrastructure.EventStore;
using TimeBank.Domain.Services;

namespace TimeBank.Api.Services;

public static class ServicesConfiguration
{
    /// <summary>
    /// One document per service, from the events on the volunteer's stream. Inline, because the next write
    /// reads it: recording checks a volunteer's overlapping services, and a reversal or evaluation checks the
    /// service's state, both in the transaction that appends.
    /// </summary>
    public static void ConfigureServices(this StoreOptions options)
    {
        options.AddInlineView<ServiceRecord, IServiceEvent>(e => e.ServiceId, ServiceRecord.Evolve, typeof(ServiceRecorded));
        // The overlap check reads a volunteer's services in a window of start times: one index range, a few
        // rows, however long the volunteer's history (ServicesAround).
        options.Schema.For<ServiceRecord>().Index(s => s.VolunteerId).Index([s => s.VolunteerId, s => s.StartedAt]);
        options.Schema.For<ServiceNote>().Index(n => n.VolunteerId);
    }

    /// <summary>The volunteer's services, not reversed, that overlap [start, end) or fall on the community day <paramref name="day"/>.</summary>
    public static async Task<IReadOnlyList<ServiceRecord>> ServicesNearAsync(
        this IQuerySession session, Guid volunteerId, DateTimeOffset start, DateTimeOffset end, DateOnly day, CancellationToken cancellation)
    {
        var reads = session.CreateBatchQuery();
        var around = reads.ServicesAround(volunteerId, start, end);
        await reads.Execute(cancellation);
        return (await around).Near(start, end, day);
    }

    /// <summary>
    /// For a batch that reads everything a service is decided on in one round trip, before the community (and so
    /// its day) is known: the volunteer's services, not reversed, that started within two days either side of
    /// [start, end). That holds every service overlapping it (none lasts more than
    /// <see cref="ServiceCatalogue.AbsoluteMaxMinutes"/>) and every one on the community's day of the start (a zone is at
    /// most 14 hours from UTC); <see cref="Near"/> narrows them. A bounded window of one index on (volunteer, start),
    /// so the read costs the same at the volunteer's first service and at their five thousandth.
    /// </summary>
    public static Task<IReadOnlyList<ServiceRecord>> ServicesAround(this IBatchedQuery batch, Guid volunteerId, DateTimeOffset start, DateTimeOffset end)
    {
        DateTimeOffset from = start.AddDays(-2), until = end.AddDays(2);
        return batch.Query<ServiceRecord>()
            .Where(s => s.VolunteerId == volunteerId && s.StartedAt >= from && s.StartedAt < until && s.Status == ServiceStatus.Recorded)
            .ToList();
    }

    /// <summary>Of the services <see cref="ServicesAround"/> read, those that overlap [start, end) or fall on the community day <paramref name="day"/>.</summary>
    public static IReadOnlyList<ServiceRecord> Near(this IEnumerable<ServiceRecord> around, DateTimeOffset start, DateTimeOffset end, DateOnly day) =>
        [.. around.Where(s => (s.StartedAt < end && s.EndedAt > start) || s.ServiceDay == day)];
}

/// <summary>
/// The free-text note of a service. Not an event: notes may name people, so they live beside the ledger and
/// are deleted when anyone the service involved is erased.
/// </summary>
public sealed record ServiceNote(Guid Id, Guid VolunteerId, IReadOnlyList<Guid> ElderIds, string Text);

/// <summary>A service as the API shows it.</summary>
public sealed record ServiceResponse(
    Guid ServiceId,
    Guid VolunteerId,
    IReadOnlyList<Guid> ElderIds,
    string ServiceType,
    DateTimeOffset StartedAt,
    DateOnly ServiceDay,
    int Minutes,
    int MinutesBanked,
    ServiceStatus Status,
    ReversalReason? ReversalReason,
    Evaluation Evaluation,
    EvaluatorRole? EvaluatedBy,
    string? Note = null)
{
    public static ServiceResponse From(ServiceRecord s, ServiceNote? note = null) =>
        new(s.Id, s.VolunteerId, s.ElderIds, s.ServiceType, s.StartedAt, s.ServiceDay, s.Minutes, s.MinutesBanked, s.Status, s.ReversalReason, s.Evaluation, s.EvaluatedBy, note?.Text);
}
