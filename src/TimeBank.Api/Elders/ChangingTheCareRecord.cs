using FluentValidation;
using Marten;
using TimeBank.Api.Communities;
using TimeBank.Api.Infrastructure.EventStore;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.Partners;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Elders;
using TimeBank.Domain.GridWorkers;
using TimeBank.Domain.Partners;
using TimeBank.Domain.Shared;
using Wolverine.Http;

namespace TimeBank.Api.Elders;

/// <summary>A new survey puts the elder in another care category; the history keeps the earlier ones.</summary>
public sealed record ChangeCareCategory(CareCategory? CareCategory, DateOnly? Since, string RecordedBy) : IExampleRequest<ChangeCareCategory>
{
    public static ChangeCareCategory Example => new(TimeBank.Domain.Elders.CareCategory.LivingAlone, ExampleIds.Day, "grid-01");

    public sealed class Validator : AbstractValidator<ChangeCareCategory>
    {
        public Validator()
        {
            RuleFor(c => c.CareCategory).NotNull().IsInEnum();
            RuleFor(c => c.RecordedBy).Recorder();
        }
    }
}

/// <summary>Another grid worker looks after the elder's household from now on.</summary>
public sealed record AssignGridWorker(Guid GridWorkerId, string RecordedBy) : IExampleRequest<AssignGridWorker>
{
    public static AssignGridWorker Example => new(ExampleIds.GridWorker, "office-01");

    public sealed class Validator : AbstractValidator<AssignGridWorker>
    {
        public Validator()
        {
            RuleFor(c => c.GridWorkerId).NotEmpty();
            RuleFor(c => c.RecordedBy).Recorder();
        }
    }
}

public sealed record GridWorkerAssignment(Guid ElderId, Guid GridWorkerId);

public static class CareRecordEndpoints
{
    [WolverinePost("/api/v1/communities/{community}/elders/{elderId}/care-category", Name = "ChangeCareCategory")]
    [VersionedResource]
    [RequiresRole(PartnerRole.Recorder)]
    [Tags("Elders")]
    public static Task<Results<Ok<IReadOnlyList<CareCategoryPeriod>>, ProblemHttpResult>> ChangeCategory(
        [NotBody] Community home, Guid elderId, ChangeCareCategory command, HttpContext context, IDocumentSession session, TimeProvider clock, CancellationToken cancellation) =>
        StreamChanges.ChangeAsync(
            context, session, elderId, () => Task.FromResult(UnknownId.Elder.Answer()),
            (Elder elder) => ElderChanges.ChangeCategory(elder, command.CareCategory!.Value, command.Since, command.RecordedBy, home.Calendar, clock),
            after => after.CategoryHistory, cancellation);

    [WolverinePost("/api/v1/communities/{community}/elders/{elderId}/grid-worker", Name = "AssignGridWorker")]
    [RequiresRole(PartnerRole.Recorder)]
    [Tags("Elders")]
    public static async Task<Results<Ok<GridWorkerAssignment>, ProblemHttpResult>> Assign(string community, [NotBody] Community home, Guid elderId, AssignGridWorker command, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var elder = await session.Events.FetchForWriting<Elder>(elderId, cancellation);
        if (elder.Aggregate is null) return UnknownId.Elder.Answer();
        if (await session.LoadAsync<GridWorker>(command.GridWorkerId, cancellation) is null)
        {
            return ProblemResponses.From(Rejection.NotFound("unknown-grid-worker", "gridWorkerId", "No grid worker with this id in this community."));
        }

        elder.AppendOne(new ElderGridWorkerAssigned(elderId, command.GridWorkerId, command.RecordedBy, clock.GetUtcNow()));
        return TypedResults.Ok(new GridWorkerAssignment(elderId, command.GridWorkerId));
    }
}
