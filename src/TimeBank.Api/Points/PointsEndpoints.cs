using JasperFx.Events;
using Marten;
using Marten.Events;
using TimeBank.Api.Audit;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.Volunteers;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Points;
using TimeBank.Domain.Volunteers;
using Wolverine.Http;

namespace TimeBank.Api.Points;

/// <summary>One quarter's award, without its lines.</summary>
public sealed record AwardSummary(Quarter Quarter, int Points, int ServicePoints, int BonusPoints, int CutByCap, int AdjustmentPoints, int Unrecovered, DateTimeOffset AwardedAt);

/// <summary>A volunteer's points: the balance, all awarded, and each quarter's award.</summary>
public sealed record PointsResponse(Guid VolunteerId, int Balance, int Awarded, IReadOnlyList<AwardSummary> Awards);

/// <summary>How a quarter's award was reached, line by line.</summary>
public sealed record AwardResponse(Guid VolunteerId, Quarter Quarter, int Points, ScoreBreakdown Breakdown, string AwardedBy, DateTimeOffset AwardedAt);

public static class PointsEndpoints
{
    [WolverineGet("/api/v1/communities/{community}/volunteers/{volunteerId}/points", Name = "GetPoints")]
    [Tags("Points")]
    public static async Task<Results<Ok<PointsResponse>, ProblemHttpResult>> Get(string community, Guid volunteerId, string? asOf, long? asOfSequence, IQuerySession session, CancellationToken cancellation)
    {
        if (AsOf.Read(asOf, asOfSequence, out var point) is { } refused) return refused;
        var volunteer = await GetVolunteerEndpoints.AsOfAsync(session, volunteerId, point, cancellation);
        if (volunteer is null) return await GetVolunteerEndpoints.NotFound(session, community, cancellation);
        var awards = (await AwardsAsync(session, volunteerId, cancellation))
            .Where(a => point is null || point.Includes(a))
            .Select(a => (PointsAwarded)a.Data)
            .Select(a => new AwardSummary(a.Quarter, a.Points, a.Breakdown.ServicePoints, a.Breakdown.BonusPoints, a.Breakdown.CutByCap, a.Breakdown.AdjustmentPoints, a.Breakdown.Unrecovered, a.AwardedAt))
            .ToList();
        return TypedResults.Ok(new PointsResponse(volunteerId, volunteer.Points.Balance, volunteer.Points.Awarded, awards));
    }

    [WolverineGet("/api/v1/communities/{community}/volunteers/{volunteerId}/points/{quarter}", Name = "GetAward")]
    [Tags("Points")]
    public static async Task<Results<Ok<AwardResponse>, ProblemHttpResult>> GetAward(string community, Guid volunteerId, string quarter, IQuerySession session, CancellationToken cancellation)
    {
        if (!Quarter.TryParse(quarter, out var q)) return ScoringRulesEndpoints.QuarterNotValid();
        if (await session.LoadAsync<Volunteer>(volunteerId, cancellation) is null) return await GetVolunteerEndpoints.NotFound(session, community, cancellation);
        return (await AwardsAsync(session, volunteerId, cancellation)).Select(a => (PointsAwarded)a.Data).FirstOrDefault(a => a.Quarter.Equals(q)) is { } award
            ? TypedResults.Ok(new AwardResponse(award.VolunteerId, award.Quarter, award.Points, award.Breakdown, award.AwardedBy, award.AwardedAt))
            : ProblemResponses.NotFound("no-award", $"The volunteer has no award for {q}: the quarter is not closed, or they had nothing in it.");
    }

    private static async Task<IReadOnlyList<IEvent>> AwardsAsync(IQuerySession session, Guid volunteerId, CancellationToken cancellation) =>
        await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamId == volunteerId && e.EventTypesAre(typeof(PointsAwarded)))
            .OrderBy(e => e.Version)
            .ToListAsync(cancellation);
}
