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
    /// <item>the minutes banked on each community day the start may fall on (<see cref="NearbyServices.CandidateDays"/>),
    /// summed by PostgreSQL, day by day, over the services that started within a day of the start (every service of
    /// the start's own day did): one statement and one pass over the range, a row a day.</item>
    /// </list>
    /// </summary>
    public static Task<NearbyServices> ServicesNear(this IBatchedQuery batch, Guid volunteerId, DateTimeOffset start, DateTimeOffset end)
    {
        var overlapFrom = start.AddMinutes(-ServiceCatalogue.AbsoluteMaxMinutes);
        var lastBeforeEnd = batch.Query<ServiceRecord>()
            .Where(s => s.VolunteerId == volunteerId && s.StartedAt > overlapFrom && s.StartedAt < end && s.Status == ServiceStatus.Recorded)
            .OrderByDescending(s => s.StartedAt).Take(1).ToList();
        var days = NearbyServices.CandidateDays(start);
        var banked = batch.Query<BankedOnDay>(BankedByDay.Sql(batch.Parent.DocumentStore.Options, oneVolunteer: true), BankedByDay.Parameters(batch.Parent, volunteerId, start.AddDays(-1), start.AddDays(1), days[0], days[^1]));
        return Collect(lastBeforeEnd, banked);

        static async Task<NearbyServices> Collect(Task<IReadOnlyList<ServiceRecord>> lastBeforeEnd, Task<IReadOnlyList<BankedOnDay>> banked) =>
            new(await lastBeforeEnd, (await banked).ToDictionary(b => b.Day, b => b.Minutes));
    }

    /// <summary>
    /// What the decisions of a batch import read of its volunteers' other services, in two queries, each a range of
    /// the index on (community, volunteer, start): those that started in the longest a service lasts before the
    /// call's first start and up to its last end (the only ones that can overlap one of its records), and the
    /// minutes banked on each of the call's days, volunteer by volunteer, summed by PostgreSQL.
    /// </summary>
    public static async Task<Dictionary<Guid, NearbyServices>> ServicesNearAsync(
        this IQuerySession session, Guid[] volunteers, DateTimeOffset firstStart, DateTimeOffset lastEnd, DateOnly firstDay, DateOnly lastDay,
        CancellationToken cancellation)
    {
        var overlapFrom = firstStart.AddMinutes(-ServiceCatalogue.AbsoluteMaxMinutes);
        var mayOverlap = (await session.Query<ServiceRecord>()
            .Where(s => s.VolunteerId.IsOneOf(volunteers) && s.StartedAt > overlapFrom && s.StartedAt < lastEnd && s.Status == ServiceStatus.Recorded)
            .ToListAsync(cancellation)).ToLookup(s => s.VolunteerId);
        var banked = (await session.QueryAsync<BankedOnDay>(BankedByDay.Sql(session.DocumentStore.Options, oneVolunteer: false), cancellation,
            BankedByDay.Parameters(session, volunteers, BankedByDay.FirstStartOf(firstDay), BankedByDay.LastStartOf(lastDay), firstDay, lastDay))).ToLookup(b => b.VolunteerId);
        return volunteers.ToDictionary(v => v, v => new NearbyServices([.. mayOverlap[v]], banked[v].ToDictionary(b => b.Day, b => b.Minutes)));
    }

    /// <summary>What one row of <see cref="BankedByDay.Sql"/> holds.</summary>
    private sealed record BankedOnDay(Guid VolunteerId, DateOnly Day, int Minutes);

    /// <summary>
    /// The minutes banked by each volunteer on each community day, written out because Marten's LINQ sums one group a
    /// statement. Its conditions are those of the index on (community, volunteer, start) as Marten writes them, the
    /// JSON in the store's camel case, so that the index serves it; the day is the record's own column, and the starts
    /// bound the range of the index that is read. One volunteer is compared with <c>=</c>, not <c>= any</c> of a
    /// one-element array: given the array, the planner left the volunteer out of the index's condition and filtered
    /// every volunteer's services of the window instead, so that a deposit slowed as a community's days filled (at 16
    /// clients, 263 deposits/s falling to 117/s over a minute).
    /// </summary>
    private static class BankedByDay
    {
        public static string Sql(IReadOnlyStoreOptions options, bool oneVolunteer) => $"""
            select jsonb_build_object('volunteerId', cast(d.data ->> 'volunteerId' as uuid), 'day', d.service_day,
                                      'minutes', sum(cast(d.data ->> 'minutesBanked' as integer)))
            from {options.FindOrResolveDocumentType(typeof(ServiceRecord)).TableName.QualifiedName} as d
            where d.tenant_id = ? and cast(d.data ->> 'volunteerId' as uuid) {(oneVolunteer ? "= ?" : "= any(?)")}
              and {EventStoreSetup.SchemaName}.mt_immutable_timestamptz(d.data ->> 'startedAt') > ?
              and {EventStoreSetup.SchemaName}.mt_immutable_timestamptz(d.data ->> 'startedAt') < ?
              and d.service_day between ? and ? and d.data ->> 'status' = '{ServiceStatus.Recorded}'
            group by cast(d.data ->> 'volunteerId' as uuid), d.service_day
            """;

        /// <summary>The parameters in order: one volunteer's id or an array of them, the starts after <paramref name="startsAfter"/> and before <paramref name="startsBefore"/>.</summary>
        public static object[] Parameters(IQuerySession session, object volunteers, DateTimeOffset startsAfter, DateTimeOffset startsBefore, DateOnly firstDay, DateOnly lastDay) =>
            // Npgsql writes a timestamptz only from a DateTimeOffset in UTC.
            [session.TenantId, volunteers, startsAfter.ToUniversalTime(), startsBefore.ToUniversalTime(), firstDay, lastDay];

        /// <summary>Before the first start a service of the community day can have, in any zone (UTC+14).</summary>
        public static DateTimeOffset FirstStartOf(DateOnly day) => Midnight(day).AddHours(-14).AddTicks(-1);

        /// <summary>After the last start a service of the community day can have, in any zone (UTC-12).</summary>
        public static DateTimeOffset LastStartOf(DateOnly day) => Midnight(day.AddDays(1)).AddHours(12);

        private static DateTimeOffset Midnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
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
