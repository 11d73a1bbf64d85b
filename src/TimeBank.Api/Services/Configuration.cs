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
    /// For a batch that reads everything one service is decided on in one round trip, before the community (and so
    /// its day) is known: the volunteer's last service to start before [start, end) ends, and the minutes banked on
    /// each community day the start may fall on (<see cref="NearbyServices.CandidateDays"/>), summed over the
    /// services that started within a day of the start (every service of the start's own day did). See
    /// <see cref="NearbyReads"/>.
    /// </summary>
    public static async Task<NearbyServices> ServicesNear(this IBatchedQuery batch, Guid volunteerId, DateTimeOffset start, DateTimeOffset end)
    {
        var days = NearbyServices.CandidateDays(start);
        var nearby = NearbyReads.Read(batch,
            [NearbyReads.OverlapProbe(volunteerId, start, end)],
            [new NearbyReads.DaysProbe(volunteerId, start.AddDays(-1), start.AddDays(1), days[0], days[^1])]);
        return (await nearby).GetValueOrDefault(volunteerId, NearbyServices.None);
    }

    /// <summary>
    /// What the decisions of a batch import read of its volunteers' other services, in the batch's round trip: for
    /// each record, its volunteer's last service to start before it ends, and for each volunteer and community day
    /// of the call, the minutes banked on it (<see cref="NearbyReads"/>), a volunteer's services gathered.
    /// </summary>
    public static Task<Dictionary<Guid, NearbyServices>> ServicesNear(this IBatchedQuery batch, IReadOnlyCollection<(Guid VolunteerId, DateTimeOffset Start, DateTimeOffset End, DateOnly Day)> services) =>
        NearbyReads.Read(batch,
            [.. services.Select(s => NearbyReads.OverlapProbe(s.VolunteerId, s.Start, s.End))],
            [.. services.Select(s => (s.VolunteerId, s.Day)).Distinct()
                .Select(d => new NearbyReads.DaysProbe(d.VolunteerId, NearbyReads.FirstStartOf(d.Day), NearbyReads.LastStartOf(d.Day), d.Day, d.Day))]);

    /// <summary>
    /// The two statements every decision of a new service reads of the volunteer's other services, written out so
    /// that one statement serves any number of services: each takes arrays of probes and, for each, reads one range
    /// of the index on (community, volunteer, start) in a lateral subquery, where the volunteer is a single value.
    /// (Given <c>= any</c> of an array of volunteers, the planner left the volunteer out of the index's condition and
    /// filtered every volunteer's services of the window: single deposits slowed from 263/s to 117/s as a community's
    /// days filled, and a batch import of 16 read 650 whole services.) So each probe stays the same size however long
    /// the volunteer's history:
    /// <list type="bullet">
    /// <item>overlap: the last service, not reversed, to start before the new one ends, within the longest a
    /// service lasts (<see cref="ServiceCatalogue.AbsoluteMaxMinutes"/>). A volunteer's services never overlap one
    /// another, so if any overlaps the new one, that one does: one row decides the overlap check.</item>
    /// <item>days: the minutes banked on each community day in the probe's days, summed by PostgreSQL over the
    /// services that started in the probe's window, a row a day. The day is the record's own column; the conditions
    /// are those of the index as Marten writes them (the JSON in the store's camel case), so that it serves them.</item>
    /// </list>
    /// </summary>
    public static class NearbyReads
    {
        public sealed record Probe(Guid VolunteerId, DateTimeOffset StartsAfter, DateTimeOffset StartsBefore);

        public sealed record DaysProbe(Guid VolunteerId, DateTimeOffset StartsAfter, DateTimeOffset StartsBefore, DateOnly FirstDay, DateOnly LastDay);

        /// <summary>The overlap probe of a service over [start, end).</summary>
        public static Probe OverlapProbe(Guid volunteerId, DateTimeOffset start, DateTimeOffset end) =>
            new(volunteerId, start.AddMinutes(-ServiceCatalogue.AbsoluteMaxMinutes), end);

        /// <summary>Both statements in the batch (their parameters in the order of their placeholders); a volunteer's services and sums gathered in one <see cref="NearbyServices"/>.</summary>
        public static Task<Dictionary<Guid, NearbyServices>> Read(IBatchedQuery batch, IReadOnlyList<Probe> overlaps, IReadOnlyList<DaysProbe> days)
        {
            var options = batch.Parent.DocumentStore.Options;
            var services = overlaps.Count == 0 ? Task.FromResult<IReadOnlyList<ServiceRecord>>([])
                : batch.Query<ServiceRecord>(LastStartedSql(options, overlaps.Count),
                    Column(overlaps, p => p.VolunteerId), Column(overlaps, p => p.StartsAfter.ToUniversalTime()), Column(overlaps, p => p.StartsBefore.ToUniversalTime()),
                    batch.Parent.TenantId);
            var banked = days.Count == 0 ? Task.FromResult<IReadOnlyList<BankedOnDay>>([])
                : batch.Query<BankedOnDay>(BankedSql(options, days.Count),
                    Column(days, p => p.VolunteerId), Column(days, p => p.StartsAfter.ToUniversalTime()), Column(days, p => p.StartsBefore.ToUniversalTime()),
                    Column(days, p => p.FirstDay), Column(days, p => p.LastDay), batch.Parent.TenantId);
            return Gather(services, banked);

            static async Task<Dictionary<Guid, NearbyServices>> Gather(Task<IReadOnlyList<ServiceRecord>> services, Task<IReadOnlyList<BankedOnDay>> banked)
            {
                var byVolunteer = (await services).DistinctBy(s => s.Id).ToLookup(s => s.VolunteerId);
                var sums = (await banked).ToLookup(b => b.VolunteerId);
                return byVolunteer.Select(g => g.Key).Union(sums.Select(g => g.Key))
                    .ToDictionary(v => v, v => new NearbyServices([.. byVolunteer[v]], sums[v].ToDictionary(b => b.Day, b => b.Minutes)));
            }
        }

        /// <summary>
        /// One probe's value as a parameter of its own, many probes' as an array (Npgsql writes a timestamptz only from
        /// a DateTimeOffset in UTC, hence the callers' conversions).
        /// </summary>
        private static object Column<TProbe, TValue>(IReadOnlyList<TProbe> probes, Func<TProbe, TValue> value) =>
            probes.Count == 1 ? value(probes[0])! : probes.Select(value).ToArray();

        /// <summary>
        /// The probes as rows. One probe is a row of single values, not an array of one: PostgreSQL costs a prepared
        /// statement's generic plan for an array of ten, so for an array of one it would plan the statement anew on every
        /// execution (0.35 ms of a deposit's PostgreSQL time in the Bench of 2026-12-02 07:47); many are unnested arrays.
        /// </summary>
        private static string Probes(int count, params (string Name, string Type)[] columns) => count == 1
            ? $"(select {string.Join(", ", columns.Select(c => $"?::{c.Type} as {c.Name}"))}) as p"
            : $"unnest({string.Join(", ", columns.Select(c => $"?::{c.Type}[]"))}) as p({string.Join(", ", columns.Select(c => c.Name))})";

        /// <summary>Before the first start a service of the community day can have, in any zone (UTC+14).</summary>
        public static DateTimeOffset FirstStartOf(DateOnly day) => Midnight(day).AddHours(-14).AddTicks(-1);

        /// <summary>After the last start a service of the community day can have, in any zone (UTC-12).</summary>
        public static DateTimeOffset LastStartOf(DateOnly day) => Midnight(day.AddDays(1)).AddHours(12);

        private static DateTimeOffset Midnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        private static string Table(IReadOnlyStoreOptions options) => options.FindOrResolveDocumentType(typeof(ServiceRecord)).TableName.QualifiedName;

        private static string StartedAt => $"{EventStoreSetup.SchemaName}.mt_immutable_timestamptz(d.data ->> 'startedAt')";

        private static string LastStartedSql(IReadOnlyStoreOptions options, int probes) => $"""
            select s.data
            from {Probes(probes, ("volunteer_id", "uuid"), ("starts_after", "timestamptz"), ("starts_before", "timestamptz"))}
            cross join lateral (
                select d.data from {Table(options)} as d
                where d.tenant_id = ? and cast(d.data ->> 'volunteerId' as uuid) = p.volunteer_id
                  and {StartedAt} > p.starts_after and {StartedAt} < p.starts_before
                  and d.data ->> 'status' = '{ServiceStatus.Recorded}'
                order by {StartedAt} desc
                limit 1) as s
            """;

        private static string BankedSql(IReadOnlyStoreOptions options, int probes) => $"""
            select jsonb_build_object('volunteerId', p.volunteer_id, 'day', b.service_day, 'minutes', b.minutes)
            from {Probes(probes, ("volunteer_id", "uuid"), ("starts_after", "timestamptz"), ("starts_before", "timestamptz"), ("first_day", "date"), ("last_day", "date"))}
            cross join lateral (
                select d.service_day, sum(cast(d.data ->> 'minutesBanked' as integer)) as minutes
                from {Table(options)} as d
                where d.tenant_id = ? and cast(d.data ->> 'volunteerId' as uuid) = p.volunteer_id
                  and {StartedAt} > p.starts_after and {StartedAt} < p.starts_before
                  and d.service_day between p.first_day and p.last_day and d.data ->> 'status' = '{ServiceStatus.Recorded}'
                group by d.service_day) as b
            """;

        /// <summary>What one row of <see cref="BankedSql"/> holds.</summary>
        private sealed record BankedOnDay(Guid VolunteerId, DateOnly Day, int Minutes);
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
