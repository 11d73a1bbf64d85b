using FluentValidation;
using JasperFx.Events;
using Marten;
using Marten.Events;
using TimeBank.Api.Care;
using TimeBank.Api.Communities;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.Partners;
using TimeBank.Api.Reports;
using TimeBank.Domain.Care;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Elders;
using TimeBank.Domain.Partners;
using TimeBank.Domain.Points;
using TimeBank.Domain.Services;
using TimeBank.Domain.Volunteers;
using Wolverine;
using Wolverine.Http;

namespace TimeBank.Api.Points;

/// <summary>Who closes the quarter.</summary>
public sealed record CloseQuarter(string RecordedBy) : IExampleRequest<CloseQuarter>
{
    public static CloseQuarter Example => new("office-01");

    public sealed class Validator : AbstractValidator<CloseQuarter>
    {
        public Validator() => RuleFor(c => c.RecordedBy).Recorder();
    }
}

/// <summary>A closed quarter: how many volunteers got an award, the points awarded in all, and the points it expired.</summary>
public sealed record ClosingResponse(Quarter Quarter, int VolunteersAwarded, int PointsAwarded, int PointsExpired, DateTimeOffset ClosedAt, bool AlreadyClosed)
{
    public static ClosingResponse From(ClosedQuarter closed, bool alreadyClosed) =>
        new(closed.Quarter, closed.VolunteersAwarded, closed.PointsAwarded, closed.PointsExpired, closed.ClosedAt, alreadyClosed);
}

public static class ClosingAQuarterEndpoints
{
    /// <summary>
    /// Close a quarter that is over: score every volunteer from the events and append one award each, the points
    /// whose time is up as one expiry each, and the closing, in one transaction. Closing it again answers the closing on record and writes nothing.
    /// </summary>
    [WolverinePost("/api/v1/communities/{community}/quarters/{quarter}/closing", Name = "CloseQuarter")]
    [RequiresRole(PartnerRole.Admin)]
    [Tags("Points")]
    public static async Task<Results<Ok<ClosingResponse>, ProblemHttpResult>> Close(
        string community, string quarter, CloseQuarter command, HttpContext context, IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken cancellation)
    {
        if (!Quarter.TryParse(quarter, out var q)) return ProblemResponses.QuarterNotValid();
        if (!CommunityCode.IsValid(community)) return ProblemResponses.CommunityNotFound(community);
        // The community's stream guards the closing: of two closings at once, one fails and writes nothing. The
        // closing is appended after the awards, at the version read here, so that it is the last event of its
        // transaction in the log: a quarter's report reads the log up to its closing and finds every award.
        var streamId = CommunityCode.StreamId(community);
        var history = await session.Events.FetchStreamAsync(streamId, token: cancellation);
        if (history.Aggregate(default(Community), (c, e) => Community.Evolve(c, e.Data)) is not { } home) return ProblemResponses.CommunityNotFound(community);
        if (home.Closing(q) is { } done) return TypedResults.Ok(ClosingResponse.From(done, alreadyClosed: true));

        var today = home.Calendar.Today(clock);
        if (QuarterClosing.RefusalToClose(home, q, today) is { } refusal) return ProblemResponses.From(refusal);
        if (!await CareDaysCaughtUpAsync(session, cancellation))
        {
            context.Response.Headers.RetryAfter = "1";
            return ProblemResponses.From(Domain.Shared.Rejection.Conflict("views-catching-up", "",
                "The care views are still taking in the latest services, which the rhythm bonuses need; try again in a second."));
        }

        var (streams, versions, categoryOn, owed) = await ReadEveryVolunteerAsync(session, home, q, today, cancellation);
        var settlement = QuarterClosing.Close(home, q, streams, categoryOn, owed, command.RecordedBy, clock.GetUtcNow());
        foreach (var (volunteerId, closing) in settlement.Volunteers)
        {
            object[] appended = [.. closing.Events];
            // Each at the version its score was read at (the one read, plus what is appended): a service recorded for
            // the volunteer meanwhile makes the closing fail, and it is decided again, rather than go unscored.
            session.Events.Append(volunteerId, versions[volunteerId] + appended.Length, appended);
        }

        var closed = settlement.Closed;
        session.Events.Append(streamId, history[^1].Version + 1, closed);
        // Sent once the closing commits (the session is the outbox).
        await bus.PublishAsync(new MakeQuarterlyReport(community, q.ToString()));
        return TypedResults.Ok(ClosingResponse.From(Community.Evolve(home, closed)!.Closing(q)!, alreadyClosed: false));
    }

    /// <summary>A closed quarter: when it was closed, how many volunteers were awarded and how many points.</summary>
    [WolverineGet("/api/v1/communities/{community}/quarters/{quarter}", Name = "GetQuarterClosing")]
    [Tags("Points")]
    public static async Task<Results<Ok<ClosingResponse>, ProblemHttpResult>> Get(string community, [NotBody] Community home, string quarter, IQuerySession session, CancellationToken cancellation)
    {
        if (!Quarter.TryParse(quarter, out var q)) return ProblemResponses.QuarterNotValid();
        return home.Closing(q) is { } closed
            ? TypedResults.Ok(ClosingResponse.From(closed, alreadyClosed: true))
            : ProblemResponses.NotFound("quarter-not-closed", $"{q} has not been closed.");
    }

    /// <summary>What the closing decides on: every volunteer's stream and its version, the elders' categories, the care owed.</summary>
    private static async Task<(Dictionary<Guid, IReadOnlyList<object>> Streams, Dictionary<Guid, long> Versions, Func<Guid, DateOnly, CareCategory?> CategoryOn, ILookup<Guid, OwedPeriod> Owed)>
        ReadEveryVolunteerAsync(IDocumentSession session, Community home, Quarter q, DateOnly today, CancellationToken cancellation)
    {
        var owed = await session.OwedCareAsync(home, q.FirstDay, q.LastDay, today, cancellation);
        var elders = (await session.Query<Elder>().ToListAsync(cancellation)).ToDictionary(e => e.Id);
        var ids = (await session.Query<Volunteer>().Select(v => v.Id).ToListAsync(cancellation)).ToList();
        var events = (await session.Events.QueryAllRawEvents().Where(e => e.StreamId.IsOneOf(ids)).ToListAsync(cancellation))
            .GroupBy(e => e.StreamId)
            .ToDictionary(g => g.Key, g => g.OrderBy(e => e.Version).ToList());

        CareCategory? CategoryOn(Guid elderId, DateOnly day) => elders.TryGetValue(elderId, out var e) ? e.CategoryOn(day) : null;

        return (events.ToDictionary(s => s.Key, s => (IReadOnlyList<object>)[.. s.Value.Select(e => e.Data)]), events.ToDictionary(s => s.Key, s => s.Value[^1].Version),
            CategoryOn, owed.Periods.ToLookup(o => o.Pairing.VolunteerId));
    }

    /// <summary>Whether the care-day view has taken in this community's last service or reversal.</summary>
    private static async Task<bool> CareDaysCaughtUpAsync(IDocumentSession session, CancellationToken cancellation)
    {
        var latest = await session.Events.QueryAllRawEvents()
            .Where(e => e.EventTypesAre(typeof(ServiceRecorded), typeof(ServiceReversed)))
            .OrderByDescending(e => e.Sequence)
            .Select(e => e.Sequence)
            .FirstOrDefaultAsync(cancellation);
        var progress = await session.DocumentStore.Advanced.AllProjectionProgress(token: cancellation);
        var careDays = progress.Where(p => p.ShardName.StartsWith(nameof(CareDay), StringComparison.Ordinal)).Select(p => p.Sequence).DefaultIfEmpty(0).Max();
        return careDays >= latest;
    }
}
