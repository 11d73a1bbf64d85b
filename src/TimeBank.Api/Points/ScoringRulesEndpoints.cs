using FluentValidation;
using Marten;
using TimeBank.Api.Communities;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.Partners;
using TimeBank.Domain.Care;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Elders;
using TimeBank.Domain.Partners;
using TimeBank.Domain.Points;
using Wolverine.Http;

namespace TimeBank.Api.Points;

/// <summary>
/// Publish the scoring rules in effect from a quarter (written <c>2026Q1</c>) on. Quarters already closed keep
/// the rules they were scored with.
/// </summary>
/// <param name="PointsPerHour">Points for an hour of any service type not listed in <paramref name="ServiceTypeRates"/>.</param>
/// <param name="CategoryWeights">Weights in percent by the elder's care category; 100 for a category not listed.</param>
/// <param name="QuarterCap">The most a volunteer's own service and bonuses can score in a quarter; none when left out.</param>
/// <param name="PointsExpireAfterQuarters">
/// Points expire this many whole quarters after the quarter they were awarded for, applied when the quarter
/// that ends that time closes; they never expire when left out.
/// </param>
public sealed record PublishScoringRules(
    Quarter? EffectiveFrom,
    int PointsPerHour,
    IReadOnlyList<ServiceTypeRate>? ServiceTypeRates,
    IReadOnlyList<CategoryWeight>? CategoryWeights,
    IReadOnlyList<RhythmBonus>? RhythmBonuses,
    int? QuarterCap,
    bool OnlyConfirmedServicesCount,
    string RecordedBy,
    int? PointsExpireAfterQuarters = null) : IExampleRequest<PublishScoringRules>
{
    public static PublishScoringRules Example => new(new Quarter(2027, 1), 10, [new ServiceTypeRate("medicine-escort", 12)], [new CategoryWeight(CareCategory.Disabled, 150)], [new RhythmBonus(Rhythm.WeeklyVisit, 90, 20)], 600, true, "office-01", 4);

    public sealed class Validator : AbstractValidator<PublishScoringRules>
    {
        public Validator()
        {
            RuleFor(c => c.EffectiveFrom).NotNull();
            RuleFor(c => c.PointsPerHour).InclusiveBetween(0, ScoringRules.MaxPointsPerHour);
            RuleForEach(c => c.ServiceTypeRates).ChildRules(r =>
            {
                r.RuleFor(x => x.ServiceType).NotEmpty().MaximumLength(40);
                r.RuleFor(x => x.PointsPerHour).InclusiveBetween(0, ScoringRules.MaxPointsPerHour);
            });
            RuleFor(c => c.ServiceTypeRates).Must(r => r is null || r.Select(x => x.ServiceType).Distinct().Count() == r.Count).WithMessage("List each service type once.");
            RuleForEach(c => c.CategoryWeights).ChildRules(w =>
            {
                w.RuleFor(x => x.Category).IsInEnum();
                w.RuleFor(x => x.WeightPercent).InclusiveBetween(0, ScoringRules.MaxWeightPercent);
            });
            RuleFor(c => c.CategoryWeights).Must(w => w is null || w.Select(x => x.Category).Distinct().Count() == w.Count).WithMessage("List each care category once.");
            RuleForEach(c => c.RhythmBonuses).ChildRules(b =>
            {
                b.RuleFor(x => x.Rhythm).IsInEnum();
                b.RuleFor(x => x.MinPercentKept).InclusiveBetween(0, 100);
                b.RuleFor(x => x.Points).InclusiveBetween(0, 100_000);
            });
            RuleFor(c => c.QuarterCap).InclusiveBetween(0, 10_000_000);
            RuleFor(c => c.PointsExpireAfterQuarters).InclusiveBetween(1, ScoringRules.MaxQuartersBeforeExpiry);
            RuleFor(c => c.RecordedBy).Recorder();
        }
    }
}

/// <summary>The scoring rules in effect for a quarter, and the quarter they took effect from (none: the defaults).</summary>
public sealed record ScoringRulesResponse(Quarter Quarter, Quarter? EffectiveFrom, ScoringRules Rules);

public static class ScoringRulesEndpoints
{
    [WolverinePost("/api/v1/communities/{community}/scoring-rules", Name = "PublishScoringRules")]
    [VersionedResource]
    [RequiresRole(PartnerRole.Admin)]
    [Tags("Points")]
    public static Task<Results<Ok<ScoringRulesResponse>, ProblemHttpResult>> Publish(
        string community, PublishScoringRules command, HttpContext context, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var rules = new ScoringRules(command.PointsPerHour, command.ServiceTypeRates ?? [], command.CategoryWeights ?? [], command.RhythmBonuses ?? [],
            command.QuarterCap, command.OnlyConfirmedServicesCount, command.PointsExpireAfterQuarters);
        var from = command.EffectiveFrom!.Value;
        return CommunityStream.ChangeAsync(context, session, community, cancellation,
            c => ScoringRulesPublishing.Publish(c, from, rules, command.RecordedBy, clock), c => new ScoringRulesResponse(from, from, c.ScoringRulesFor(from)));
    }

    /// <summary>The scoring rules in force for a quarter, and the quarter they were published from (the defaults when none was).</summary>
    [WolverineGet("/api/v1/communities/{community}/scoring-rules/{quarter}", Name = "GetScoringRules")]
    [Tags("Points")]
    public static async Task<Results<Ok<ScoringRulesResponse>, ProblemHttpResult>> Get([NotBody] Community home, string quarter, IQuerySession session, CancellationToken cancellation)
    {
        if (!Quarter.TryParse(quarter, out var q)) return ProblemResponses.QuarterNotValid();
        var from = home.PublishedScoringRules.LastOrDefault(r => r.From.CompareTo(q) <= 0)?.From;
        return TypedResults.Ok(new ScoringRulesResponse(q, from, home.ScoringRulesFor(q)));
    }
}
