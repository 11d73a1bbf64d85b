using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;
using TimeBank.Api.Infrastructure.EventStore;
using TimeBank.Api.People;
using TimeBank.Domain.Care;
using TimeBank.Domain.Services;

namespace TimeBank.Api.Care;

/// <summary>
/// One document per elder and day with the kinds of service received, gathered from the service events on
/// every volunteer's stream. Async, like the care record: it spans many streams and nobody reads it in the
/// request that records a service, so recording stays fast; it lags the ledger by the daemon's catch-up time.
/// </summary>
public sealed class CareDayProjection : MultiStreamProjection<CareDay, string>, IFoldedView
{
    public CareDayProjection()
    {
        Identities<ServiceRecorded>(e => IdsChangedBy(e).ToList());
        Identities<ServiceReversed>(e => IdsChangedBy(e).ToList());
    }

    public override CareDay? Evolve(CareDay? snapshot, string id, IEvent e) => CareDay.Evolve(snapshot, id, e.Data);

    private static IEnumerable<string> IdsChangedBy(object @event) => @event switch
    {
        ServiceRecorded r => CareDay.IdsOf(r.ElderIds, r.ServiceDay),
        ServiceReversed r => CareDay.IdsOf(r.ElderIds, r.ServiceDay),
        _ => [],
    };

    Type IFoldedView.ViewType => typeof(CareDay);

    IEnumerable<object> IFoldedView.IdsChangedBy(Guid streamId, object @event) => IdsChangedBy(@event);

    object? IFoldedView.Fold(object? view, object id, object @event) => CareDay.Evolve((CareDay?)view, (string)id, @event);
}

/// <summary>Reads what the six ones are checked against: care days, and birthdays from personal data.</summary>
public static class CareDays
{
    public static void ConfigureCare(this StoreOptions options)
    {
        options.Schema.For<CareDay>().Index(d => d.ElderId).Index(d => d.Day);
    }

    private sealed record LastServiceDay(Guid ElderId, string ServiceType, DateOnly Day);

    /// <summary>
    /// For every elder (or one), the last day from <paramref name="since"/> to <paramref name="until"/> on which
    /// they received each type of service: one aggregate query, however long the history.
    /// </summary>
    public static async Task<ILookup<Guid, (DateOnly Day, string ServiceType)>> LastDaysAsync(
        this IQuerySession session, DateOnly since, DateOnly until, Guid? elderId, CancellationToken cancellation)
    {
        var table = session.DocumentStore.Options.Schema.For<CareDay>();
        // '^' marks parameters, because '?|'-style jsonb operators would clash with '?'.
        var sql = $"""
            select jsonb_build_object('elderId', d.data ->> 'elderId', 'serviceType', t.type, 'day', max(d.data ->> 'day')) as data
            from {table} d cross join lateral jsonb_object_keys(d.data -> 'serviceTypes') as t(type)
            where d.tenant_id = ^ and d.data ->> 'day' between ^ and ^ {(elderId is null ? "" : "and d.data ->> 'elderId' = ^")}
            group by d.data ->> 'elderId', t.type
            """;
        object[] parameters = elderId is { } id
            ? [session.TenantId, Iso(since), Iso(until), id.ToString()]
            : [session.TenantId, Iso(since), Iso(until)];
        var rows = await session.AdvancedSql.QueryAsync<LastServiceDay>('^', sql, cancellation, parameters);
        return rows.ToLookup(r => r.ElderId, r => (r.Day, r.ServiceType));
    }

    /// <summary>Every care day from <paramref name="from"/> to <paramref name="to"/>, by elder.</summary>
    public static async Task<ILookup<Guid, (DateOnly Day, string ServiceType)>> DaysBetweenAsync(
        this IQuerySession session, DateOnly from, DateOnly to, Guid? elderId, CancellationToken cancellation)
    {
        var query = session.Query<CareDay>().Where(d => d.Day >= from && d.Day <= to);
        if (elderId is { } id) query = query.Where(d => d.ElderId == id);
        var days = await query.ToListAsync(cancellation);
        return days.SelectMany(d => d.ServiceTypes.Keys.Select(type => (d.ElderId, Entry: (d.Day, type)))).ToLookup(x => x.ElderId, x => x.Entry);
    }

    /// <summary>One elder's birthday, if their record has one.</summary>
    public static async Task<Birthday?> BirthdayOfAsync(this IQuerySession session, Guid elderId, CancellationToken cancellation) =>
        await session.LoadAsync<PersonalDetails>(elderId, cancellation) is { } details ? Birthday.Of(details.BirthDate, details.LunarBirthday) : null;

    /// <summary>The birthdays of elders whose record has one; erased elders have none.</summary>
    public static async Task<IReadOnlyDictionary<Guid, Birthday>> BirthdaysAsync(this IQuerySession session, CancellationToken cancellation)
    {
        var elders = await session.Query<PersonalDetails>()
            .Where(p => p.Role == PersonRole.Elder && (p.BirthDate != null || p.LunarBirthday != null))
            .ToListAsync(cancellation);
        return elders.ToDictionary(p => p.Id, p => Birthday.Of(p.BirthDate, p.LunarBirthday)!);
    }

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd");
}
