using FluentValidation;
using Marten;
using TimeBank.Api.Communities;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.Partners;
using TimeBank.Domain.Care;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Partners;
using Wolverine.Http;

namespace TimeBank.Api.Care;

/// <summary>
/// Set how the community counts the six ones: the day its weeks start, the days either side of a festival or
/// birthday in which an activity counts, and which service types keep each rhythm (all six must be listed).
/// </summary>
public sealed record SetCareCadence(
    DayOfWeek? WeekStartsOn,
    int FestivalWindowDays,
    int BirthdayWindowDays,
    IReadOnlyList<RhythmServiceTypes>? ServiceTypesByRhythm,
    string RecordedBy) : IExampleRequest<SetCareCadence>
{
    public static SetCareCadence Example => new(DayOfWeek.Monday, 3, 3, [new(Rhythm.WeeklyVisit, ["home-visit", "errands"])], "office-01");

    public sealed class Validator : AbstractValidator<SetCareCadence>
    {
        public Validator()
        {
            RuleFor(c => c.WeekStartsOn).NotNull().IsInEnum();
            RuleFor(c => c.FestivalWindowDays).InclusiveBetween(0, CareCadence.MaxWindowDays);
            RuleFor(c => c.BirthdayWindowDays).InclusiveBetween(0, CareCadence.MaxWindowDays);
            RuleFor(c => c.ServiceTypesByRhythm).NotEmpty();
            RuleForEach(c => c.ServiceTypesByRhythm).ChildRules(r =>
            {
                r.RuleFor(x => x.Rhythm).IsInEnum();
                r.RuleFor(x => x.ServiceTypes).NotEmpty();
                r.RuleForEach(x => x.ServiceTypes).NotEmpty().MaximumLength(40);
            });
            RuleFor(c => c.RecordedBy).Recorder();
        }
    }
}

public static class CareCadenceEndpoints
{
    [WolverinePost("/api/v1/communities/{community}/care-cadence", Name = "SetCareCadence")]
    [VersionedResource]
    [RequiresRole(PartnerRole.Admin)]
    [Tags("Care cadence")]
    public static Task<Results<Ok<CareCadence>, ProblemHttpResult>> Set(
        string community, SetCareCadence command, HttpContext context, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var cadence = new CareCadence(command.WeekStartsOn!.Value, command.FestivalWindowDays, command.BirthdayWindowDays, command.ServiceTypesByRhythm!);
        return CommunityStream.ChangeAsync(context, session, community, cancellation, c => CareCadenceChanges.Set(c, cadence, command.RecordedBy, clock), c => c.Cadence);
    }

    /// <summary>How the community counts the six ones (the defaults until it sets its own).</summary>
    [WolverineGet("/api/v1/communities/{community}/care-cadence", Name = "GetCareCadence")]
    [Tags("Care cadence")]
    public static Results<Ok<CareCadence>, ProblemHttpResult> Get([NotBody] Community found) => TypedResults.Ok(found.Cadence);
}
