using JasperFx.Events;
using Marten;
using Marten.Events;
using TimeBank.Api.Audit;
using TimeBank.Api.Communities;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.Volunteers;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Points;
using TimeBank.Domain.TimeAccounts;
using TimeBank.Domain.Volunteers;
using Wolverine.Http;

namespace TimeBank.Api.Points;

/// <summary>
/// One quarter's award, without its lines, and what became of its points: <c>Remaining = Points - Spent -
/// Expired - TakenBack - TransferredOut</c> (a negative award holds nothing: it took back from the oldest awards).
/// </summary>
public sealed record AwardSummary(
    Quarter Quarter, int Points, int ServicePoints, int BonusPoints, int CutByCap, int AdjustmentPoints, int Unrecovered, DateTimeOffset AwardedAt,
    int Remaining, int Spent, int Expired, int TakenBack, int TransferredOut);

/// <summary>Points of an award made by another community, brought along when the volunteer moved here, and what became of them.</summary>
public sealed record CarriedAward(Quarter Quarter, string AwardedIn, int Points, int Remaining, int Spent, int Expired, int TakenBack, int TransferredOut);

/// <summary>
/// A volunteer's points: the balance; all awarded, redeemed (less what was restored), expired, brought from and taken
/// to another community; each quarter's award, and the awards brought along from another community.
/// </summary>
public sealed record PointsResponse(
    Guid VolunteerId, int Balance, int Awarded, int Redeemed, int Expired, int TransferredIn, int TransferredOut,
    IReadOnlyList<AwardSummary> Awards, IReadOnlyList<CarriedAward> CarriedIn);

/// <summary>How a quarter's award was reached, line by line.</summary>
public sealed record AwardResponse(Guid VolunteerId, Quarter Quarter, int Points, ScoreBreakdown Breakdown, string AwardedBy, DateTimeOffset AwardedAt);

/// <summary>A page of a volunteer's points statement. Pass <c>nextAfter</c> as <c>after</c> for the next page; null at the end.</summary>
public sealed record PointsStatementResponse(Guid VolunteerId, IReadOnlyList<PointsStatementLine> Lines, long? NextAfter);

public static class PointsEndpoints
{
    /// <summary>The points now, or as they stood at a moment of the ledger's past (<c>asOf</c> time or <c>asOfSequence</c>).</summary>
    [WolverineGet("/api/v1/communities/{community}/volunteers/{volunteerId}/points", Name = "GetPoints")]
    [Tags("Points")]
    public static async Task<Results<Ok<PointsResponse>, ProblemHttpResult>> Get(string community, Guid volunteerId, string? asOf, long? asOfSequence, IQuerySession session, CancellationToken cancellation)
    {
        if (AsOf.Read(asOf, asOfSequence, out var point) is { } refused) return refused;
        var volunteer = await VolunteerHistory.AsOfAsync(session, volunteerId, point, cancellation);
        if (volunteer is null) return await UnknownId.Volunteer.AnswerAsync(session, community, cancellation);
        var points = volunteer.Points;
        var awards = (await AwardsAsync(session, volunteerId, cancellation))
            .Where(a => point is null || point.Includes(a))
            .Select(a => (PointsAwarded)a.Data)
            .Select(a =>
            {
                var held = points.Awards.FirstOrDefault(h => h.AwardedIn is null && h.Quarter.Equals(a.Quarter));
                return new AwardSummary(a.Quarter, a.Points, a.Breakdown.ServicePoints, a.Breakdown.BonusPoints, a.Breakdown.CutByCap, a.Breakdown.AdjustmentPoints,
                    a.Breakdown.Unrecovered, a.AwardedAt, held?.Remaining ?? 0, held?.Spent ?? 0, held?.Expired ?? 0, held?.TakenBack ?? 0, held?.TransferredOut ?? 0);
            })
            .ToList();
        var carried = points.Awards.Where(h => h.AwardedIn is not null)
            .Select(h => new CarriedAward(h.Quarter, h.AwardedIn!, h.Points, h.Remaining, h.Spent, h.Expired, h.TakenBack, h.TransferredOut))
            .ToList();
        return TypedResults.Ok(new PointsResponse(volunteerId, points.Balance, points.Awarded, points.Redeemed, points.Expired, points.TransferredIn, points.TransferredOut, awards, carried));
    }

    /// <summary>A volunteer's award for one quarter, line by line: each service's points, the six-ones bonuses, the cap and any adjustments.</summary>
    [WolverineGet("/api/v1/communities/{community}/volunteers/{volunteerId}/points/{quarter}", Name = "GetAward")]
    [Tags("Points")]
    public static async Task<Results<Ok<AwardResponse>, ProblemHttpResult>> GetAward(string community, Guid volunteerId, string quarter, IQuerySession session, CancellationToken cancellation)
    {
        if (!Quarter.TryParse(quarter, out var q)) return ProblemResponses.QuarterNotValid();
        if (await session.LoadAsync<Volunteer>(volunteerId, cancellation) is null) return await UnknownId.Volunteer.AnswerAsync(session, community, cancellation);
        return (await AwardsAsync(session, volunteerId, cancellation)).Select(a => (PointsAwarded)a.Data).FirstOrDefault(a => a.Quarter.Equals(q)) is { } award
            ? TypedResults.Ok(new AwardResponse(award.VolunteerId, award.Quarter, award.Points, award.Breakdown, award.AwardedBy, award.AwardedAt))
            : ProblemResponses.NotFound("no-award", $"The volunteer has no award for {q}: the quarter is not closed, or they had nothing in it.");
    }

    /// <summary>
    /// Every award, redemption, restoration, expiry and move of the volunteer's points, with the running balance,
    /// after the stream version <c>after</c>. Paged like the time account's statement (versions never change, so
    /// a page read while entries arrive neither skips nor repeats a line); as of a moment of the past, only the
    /// events appended up to it are read.
    /// </summary>
    [WolverineGet("/api/v1/communities/{community}/volunteers/{volunteerId}/points/statement", Name = "GetPointsStatement")]
    [Tags("Points")]
    public static async Task<Results<Ok<PointsStatementResponse>, ProblemHttpResult>> Statement(
        string community, Guid volunteerId, long? after, int? limit, string? asOf, long? asOfSequence, IQuerySession session, CancellationToken cancellation)
    {
        if (AsOf.Read(asOf, asOfSequence, out var point) is { } refused) return refused;
        if (Paging.Refusal(after, limit) is { } badPage) return badPage;
        if (await session.LoadAsync<Volunteer>(volunteerId, cancellation) is null) return await UnknownId.Volunteer.AnswerAsync(session, community, cancellation);

        var size = limit ?? Paging.DefaultLimit;
        var events = point is null ? await session.Events.FetchStreamAsync(volunteerId, token: cancellation) : await point.StreamAsync(session, volunteerId, cancellation);
        var lines = PointsStatement.Lines(events.Select(e => new AccountEvent(e.Version, e.Timestamp, e.Data)))
            .Where(l => l.Version > (after ?? 0))
            .Take(size + 1)
            .ToList();
        var more = lines.Count > size;
        var page = more ? lines[..size] : lines;
        return TypedResults.Ok(new PointsStatementResponse(volunteerId, page, more ? page[^1].Version : null));
    }

    private static async Task<IReadOnlyList<IEvent>> AwardsAsync(IQuerySession session, Guid volunteerId, CancellationToken cancellation) =>
        await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamId == volunteerId && e.EventTypesAre(typeof(PointsAwarded)))
            .OrderBy(e => e.Version)
            .ToListAsync(cancellation);
}
