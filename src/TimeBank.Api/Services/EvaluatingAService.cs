using FluentValidation;
using Marten;
using TimeBank.Domain.Services;
using Wolverine.Http;

namespace TimeBank.Api.Services;

/// <summary>The elder, a family member or the grid worker confirms that the service was done.</summary>
/// <param name="EvaluatorReference">The evaluator's id in the partner system (never a name).</param>
public sealed record ConfirmService(EvaluatorRole? EvaluatorRole, string EvaluatorReference)
{
    public sealed class Validator : AbstractValidator<ConfirmService>
    {
        public Validator()
        {
            RuleFor(c => c.EvaluatorRole).NotNull().IsInEnum();
            RuleFor(c => c.EvaluatorReference).NotEmpty().MaximumLength(64);
        }
    }
}

/// <summary>The elder, a family member or the grid worker disputes the service.</summary>
public sealed record DisputeService(EvaluatorRole? EvaluatorRole, string EvaluatorReference, DisputeReason? Reason)
{
    public sealed class Validator : AbstractValidator<DisputeService>
    {
        public Validator()
        {
            RuleFor(c => c.EvaluatorRole).NotNull().IsInEnum();
            RuleFor(c => c.EvaluatorReference).NotEmpty().MaximumLength(64);
            RuleFor(c => c.Reason).NotNull().IsInEnum();
        }
    }
}

public static class EvaluateServiceEndpoints
{
    [WolverinePost("/api/v1/communities/{community}/services/{serviceId}/confirmation", Name = "ConfirmService")]
    [Tags("Services")]
    public static async Task<IResult> Confirm(
        string community, Guid serviceId, ConfirmService command, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var target = await ServiceWrite.OpenAsync(session, community, serviceId, cancellation);
        if (target.Problem is { } problem) return problem;

        var decision = ServiceEvaluations.Confirm(target.Service, command.EvaluatorRole!.Value, command.EvaluatorReference, clock);
        return target.Append(decision, confirmed => ServiceRecord.Evolve(target.Service, confirmed));
    }

    [WolverinePost("/api/v1/communities/{community}/services/{serviceId}/dispute", Name = "DisputeService")]
    [Tags("Services")]
    public static async Task<IResult> Dispute(
        string community, Guid serviceId, DisputeService command, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var target = await ServiceWrite.OpenAsync(session, community, serviceId, cancellation);
        if (target.Problem is { } problem) return problem;

        var decision = ServiceEvaluations.Dispute(target.Service, command.EvaluatorRole!.Value, command.EvaluatorReference, command.Reason!.Value, clock);
        return target.Append(decision, disputed => ServiceRecord.Evolve(target.Service, disputed));
    }
}
