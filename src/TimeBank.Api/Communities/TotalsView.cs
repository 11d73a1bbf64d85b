using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;
using TimeBank.Api.Infrastructure.EventStore;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Domain.Communities;
using Wolverine.Http;

namespace TimeBank.Api.Communities;

/// <summary>
/// One totals document per community. Async: every write in the community touches it, so keeping it inline
/// would make all of a community's writes wait for each other; as a view it may lag by the daemon's
/// catch-up time.
/// </summary>
public sealed class CommunityTotalsProjection : MultiStreamProjection<CommunityTotals, string>, IFoldedView
{
    private static readonly HashSet<Type> Folded = [.. CommunityTotals.EventTypes];

    public CommunityTotalsProjection()
    {
        foreach (var type in CommunityTotals.EventTypes) IncludeType(type);
        Identity<IEvent>(_ => CommunityTotals.DocumentId);
    }

    /// <summary>Folded with the other async views (AsyncViews), it is given their events too: only its own change the document.</summary>
    public override CommunityTotals? Evolve(CommunityTotals? snapshot, string id, IEvent e) =>
        Folded.Contains(e.EventType) ? CommunityTotals.Evolve(snapshot, e.Data) : snapshot;

    Type IFoldedView.ViewType => typeof(CommunityTotals);

    IEnumerable<object> IFoldedView.IdsChangedBy(Guid streamId, object @event) => Folded.Contains(@event.GetType()) ? [CommunityTotals.DocumentId] : [];

    object? IFoldedView.Fold(object? view, object id, object @event) => CommunityTotals.Evolve((CommunityTotals?)view, @event);
}

/// <summary>A community's totals; this month and quarter are the community's current ones.</summary>
public sealed record TotalsResponse(
    string Community,
    int Volunteers,
    int Elders,
    int Comfortable,
    int LivingAlone,
    int Disabled,
    int Poor,
    int ActivePairings,
    string Month,
    int MinutesThisMonth,
    string Quarter,
    int MinutesThisQuarter,
    IReadOnlyList<MonthlyMinutes> ByMonth)
{
    public static TotalsResponse From(string community, CommunityTotals t, DateOnly today)
    {
        var quarter = Domain.Communities.Quarter.Containing(today);
        return new(community, t.Volunteers, t.Elders, t.Comfortable, t.LivingAlone, t.Disabled, t.Poor, t.ActivePairings,
            CommunityCalendar.MonthOf(today), t.MinutesInMonthOf(today), quarter.ToString(), t.MinutesIn(quarter), t.ByMonth);
    }
}

public static class TotalsViewEndpoint
{
    /// <summary>The community's running totals (volunteers, elders, services, minutes banked), from an async view a second or so behind the log.</summary>
    [WolverineGet("/api/v1/communities/{community}/totals", Name = "GetCommunityTotals")]
    [Tags("Communities")]
    public static async Task<Results<Ok<TotalsResponse>, ProblemHttpResult>> Get([NotBody] Community found, IQuerySession session, TimeProvider clock, CancellationToken cancellation)
    {
        var totals = await session.LoadAsync<CommunityTotals>(CommunityTotals.DocumentId, cancellation) ?? CommunityTotals.Empty;
        return TypedResults.Ok(TotalsResponse.From(found.Code, totals, found.Calendar.Today(clock)));
    }
}
