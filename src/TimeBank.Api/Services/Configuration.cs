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
        // The overlap check and the day's banked minutes read a volunteer's services in a window of start times
        // (ServicesNear): one range of one index, led by the community so the planner never prefers walking the
        // community's documents, and so sized by the window, not by the volunteer's history. The same index serves
        // every read of a volunteer's services.
        // The day is kept in a column of its own as well: read from the JSON, each row of a day's sum would call
        // Marten's immutable cast wrapper for dates, which PostgreSQL cannot inline (a function call a row). Marten
        // indexes a duplicated column too. The start stays in the JSON: its index evaluates the wrapper only at the
        // range's bounds, and a column would need every start in UTC.
        options.Schema.For<ServiceRecord>().StartIndexesByTenantId()
            .Duplicate(s => s.ServiceDay)
            .Index([s => s.VolunteerId, s => s.StartedAt]);
        options.Schema.For<ServiceNote>().Index(n => n.VolunteerId);
    }

    /// <summary>The volunteer's services around [start, end) that its decision reads (<see cref="NearbyServices"/>), in one round trip.</summary>
    public static async Task<NearbyServices> ServicesNearAsync(this IQuerySession session, Guid volunteerId, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellation)
    {
        var reads = session.CreateBatchQuery();
        var nearby = reads.ServicesNear(volunteerId, start, end);
        await reads.Execute(cancellation);
        return await nearby;
    }

    /// <summary>
    /// For a batch that reads everything a service is decided on in one round trip, before the community (and so
    /// its day) is known. Each read is a range of one index on (community, volunteer, start) that stays the same
    /// size however long the volunteer's history:
    /// <list type="bullet">
    /// <item>the volunteer's last service to start before [start, end) ends, within the longest a service lasts
    /// (<see cref="ServiceCatalogue.AbsoluteMaxMinutes"/>). A volunteer's services never overlap one another, so if
    /// any overlaps [start, end), that one does: the one row decides the overlap check.</item>
    /// <item>for each community day the start may fall on (<see cref="NearbyServices.CandidateDays"/>), the minutes
    /// banked by the services of that day, summed by PostgreSQL over those that started within a day of the start
    /// (every service of the start's own day did).</item>
    /// </list>
    /// </summary>
    public static Task<NearbyServices> ServicesNear(this IBatchedQuery batch, Guid volunteerId, DateTimeOffset start, DateTimeOffset end)
    {
        DateTimeOffset overlapFrom = start.AddMinutes(-ServiceCatalogue.AbsoluteMaxMinutes), dayFrom = start.AddDays(-1), dayUntil = start.AddDays(1);
        var lastBeforeEnd = batch.Query<ServiceRecord>()
            .Where(s => s.VolunteerId == volunteerId && s.StartedAt > overlapFrom && s.StartedAt < end && s.Status == ServiceStatus.Recorded)
            .OrderByDescending(s => s.StartedAt).Take(1).ToList();
        var banked = NearbyServices.CandidateDays(start).Select(day => (Day: day, Minutes: batch.Query<ServiceRecord>()
            .Where(s => s.VolunteerId == volunteerId && s.StartedAt > dayFrom && s.StartedAt < dayUntil && s.ServiceDay == day && s.Status == ServiceStatus.Recorded)
            .Sum(s => s.MinutesBanked))).ToList();
        return Collect(lastBeforeEnd, banked);

        static async Task<NearbyServices> Collect(Task<IReadOnlyList<ServiceRecord>> lastBeforeEnd, List<(DateOnly Day, Task<int> Minutes)> banked)
        {
            var byDay = new Dictionary<DateOnly, int>();
            foreach (var (day, minutes) in banked) byDay[day] = await minutes;
            return new NearbyServices(await lastBeforeEnd, byDay);
        }
    }
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
