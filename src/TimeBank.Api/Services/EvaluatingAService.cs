using FluentValidation;
using Marten;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.Partners;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Partners;
using TimeBank.Domain.Services;
using Wolverine.Http;

namespace TimeBank.Api.Services;

/// <summary>The elder, or a family member or grid worker approved to act for them, confirms that the service was done.</summary>
/// <param name="EvaluatorId">The elder's id, or the family member's or grid worker's.</param>
public sealed record ConfirmService(EvaluatorRole? EvaluatorRole, Guid EvaluatorId) : IExampleRequest<ConfirmService>
{
    public static ConfirmService Example => new(TimeBank.Domain.Services.EvaluatorRole.Elder, ExampleIds.Elder);

    public sealed class Validator : AbstractValidator<ConfirmService>
    {
        public Validator()
        {
            RuleFor(c => c.EvaluatorRole).NotNull().IsInEnum();
            RuleFor(c => c.EvaluatorId).NotEmpty();
        }
    }
}

/// <summary>The elder, or a family member or grid worker approved to act for them, disputes the service.</summary>
public sealed record DisputeService(EvaluatorRole? EvaluatorRole, Guid EvaluatorId, DisputeReason? Reason) : IExampleRequest<DisputeService>
{
    public static DisputeService Example => new(TimeBank.Domain.Services.EvaluatorRole.GridWorker, ExampleIds.GridWorker, DisputeReason.ShorterThanRecorded);

    public sealed class Validator : AbstractValidator<DisputeService>
    {
        public Validator()
        {
            RuleFor(c => c.EvaluatorRole).NotNull().IsInEnum();
            RuleFor(c => c.EvaluatorId).NotEmpty();
            RuleFor(c => c.Reason).NotNull().IsInEnum();
        }
    }
}

public static class EvaluateServiceEndpoints
{
    [WolverinePost("/api/v1/communities/{community}/services/{serviceId}/confirmation", Name = "ConfirmService")]
    [RequiresRole(PartnerRole.Recorder)]
    [Tags("Services")]
    public static async Task<Results<Ok<ServiceResponse>, ProblemHttpResult>> Confirm(
        [NotBody] Community home, Guid serviceId, ConfirmService command, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var target = await ServiceWrite.OpenAsync(session, serviceId, cancellation);
        var elders = await target.EldersAsync(session, cancellation);
        var decision = ServiceEvaluations.Confirm(target.Service, new Evaluator(command.EvaluatorRole!.Value, command.EvaluatorId), elders, clock);
        return target.Append(decision, confirmed => ServiceRecord.Evolve(target.Service, confirmed));
    }

    [WolverinePost("/api/v1/communities/{community}/services/{serviceId}/dispute", Name = "DisputeService")]
    [RequiresRole(PartnerRole.Recorder)]
    [Tags("Services")]
    public static async Task<Results<Ok<ServiceResponse>, ProblemHttpResult>> Dispute(
        [NotBody] Community home, Guid serviceId, DisputeService command, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var target = await ServiceWrite.OpenAsync(session, serviceId, cancellation);
        var elders = await target.EldersAsync(session, cancellation);
        var decision = ServiceEvaluations.Dispute(target.Service, new Evaluator(command.EvaluatorRole!.Value, command.EvaluatorId), elders, command.Reason!.Value, clock);
        return target.Append(decision, disputed => ServiceRecord.Evolve(target.Service, disputed));
    }
}
