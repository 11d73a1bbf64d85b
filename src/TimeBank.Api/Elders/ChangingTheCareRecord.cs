using FluentValidation;
using Marten;
using TimeBank.Api.Communities;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Domain.Elders;
using TimeBank.Domain.Families;
using TimeBank.Domain.GridWorkers;
using TimeBank.Domain.Shared;
using Wolverine.Http;

namespace TimeBank.Api.Elders;

/// <summary>A new survey puts the elder in another care category; the history keeps the earlier ones.</summary>
public sealed record ChangeCareCategory(CareCategory? CareCategory, DateOnly? Since, string RecordedBy)
{
    public sealed class Validator : AbstractValidator<ChangeCareCategory>
    {
        public Validator()
        {
            RuleFor(c => c.CareCategory).NotNull().IsInEnum();
            RuleFor(c => c.RecordedBy).NotEmpty().MaximumLength(64);
        }
    }
}

/// <summary>Another grid worker looks after the elder's household from now on.</summary>
public sealed record AssignGridWorker(Guid GridWorkerId, string RecordedBy)
{
    public sealed class Validator : AbstractValidator<AssignGridWorker>
    {
        public Validator()
        {
            RuleFor(c => c.GridWorkerId).NotEmpty();
            RuleFor(c => c.RecordedBy).NotEmpty().MaximumLength(64);
        }
    }
}

public sealed record GridWorkerAssignment(Guid ElderId, Guid GridWorkerId);

/// <summary>Approve a family member of the elder, or a grid worker, to act for the elder.</summary>
public sealed record ApproveProxy(Guid ProxyId, string RecordedBy)
{
    public sealed class Validator : AbstractValidator<ApproveProxy>
    {
        public Validator()
        {
            RuleFor(c => c.ProxyId).NotEmpty();
            RuleFor(c => c.RecordedBy).NotEmpty().MaximumLength(64);
        }
    }
}

/// <summary>Stop a proxy acting for the elder.</summary>
public sealed record RevokeProxy(string RecordedBy)
{
    public sealed class Validator : AbstractValidator<RevokeProxy>
    {
        public Validator() => RuleFor(c => c.RecordedBy).NotEmpty().MaximumLength(64);
    }
}

/// <summary>Who may act for the elder.</summary>
public sealed record ProxiesResponse(Guid ElderId, IReadOnlyList<Guid> Proxies);

public static class CareRecordEndpoints
{
    [WolverinePost("/api/v1/communities/{community}/elders/{elderId}/care-category", Name = "ChangeCareCategory")]
    [Tags("Elders")]
    public static async Task<IResult> ChangeCategory(string community, Guid elderId, ChangeCareCategory command, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var home = await session.LoadCommunityAsync(community, cancellation);
        if (home is null) return ProblemResponses.CommunityNotFound(community);
        var elder = await session.Events.FetchForWriting<Elder>(elderId, cancellation);
        if (elder.Aggregate is null) return ProblemResponses.NotFound("unknown-elder", "No elder with this id is registered in this community.");

        var decision = ElderChanges.ChangeCategory(elder.Aggregate, command.CareCategory!.Value, command.Since, command.RecordedBy, home.Calendar, clock);
        if (decision.Rejection is { } rejection) return ProblemResponses.From(rejection);
        elder.AppendOne(decision.Event!);
        return Results.Ok(Elder.Evolve(elder.Aggregate, decision.Event!)!.CategoryHistory);
    }

    [WolverinePost("/api/v1/communities/{community}/elders/{elderId}/grid-worker", Name = "AssignGridWorker")]
    [Tags("Elders")]
    public static async Task<IResult> Assign(string community, Guid elderId, AssignGridWorker command, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        if (await session.LoadCommunityAsync(community, cancellation) is null) return ProblemResponses.CommunityNotFound(community);
        var elder = await session.Events.FetchForWriting<Elder>(elderId, cancellation);
        if (elder.Aggregate is null) return ProblemResponses.NotFound("unknown-elder", "No elder with this id is registered in this community.");
        if (await session.LoadAsync<GridWorker>(command.GridWorkerId, cancellation) is null)
        {
            return ProblemResponses.From(Rejection.NotFound("unknown-grid-worker", "gridWorkerId", "No grid worker with this id in this community."));
        }

        elder.AppendOne(new ElderGridWorkerAssigned(elderId, command.GridWorkerId, command.RecordedBy, clock.GetUtcNow()));
        return Results.Ok(new GridWorkerAssignment(elderId, command.GridWorkerId));
    }

    [WolverinePost("/api/v1/communities/{community}/elders/{elderId}/proxies", Name = "ApproveProxy")]
    [Tags("Elders")]
    public static async Task<IResult> Approve(string community, Guid elderId, ApproveProxy command, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        if (await session.LoadCommunityAsync(community, cancellation) is null) return ProblemResponses.CommunityNotFound(community);
        var elder = await session.Events.FetchForWriting<Elder>(elderId, cancellation);
        if (elder.Aggregate is null) return ProblemResponses.NotFound("unknown-elder", "No elder with this id is registered in this community.");

        var eligible = (await session.LoadAsync<FamilyMember>(command.ProxyId, cancellation))?.RelativeId == elderId
            || await session.LoadAsync<GridWorker>(command.ProxyId, cancellation) is not null;
        var decision = ElderChanges.ApproveProxy(elder.Aggregate, command.ProxyId, eligible, command.RecordedBy, clock);
        if (decision.Rejection is { } rejection) return ProblemResponses.From(rejection);
        elder.AppendOne(decision.Event!);
        return Results.Ok(new ProxiesResponse(elderId, Elder.Evolve(elder.Aggregate, decision.Event!)!.Proxies));
    }

    [WolverinePost("/api/v1/communities/{community}/elders/{elderId}/proxies/{proxyId}/revocation", Name = "RevokeProxy")]
    [Tags("Elders")]
    public static async Task<IResult> Revoke(
        string community, Guid elderId, Guid proxyId, RevokeProxy command, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        if (await session.LoadCommunityAsync(community, cancellation) is null) return ProblemResponses.CommunityNotFound(community);
        var elder = await session.Events.FetchForWriting<Elder>(elderId, cancellation);
        if (elder.Aggregate is null) return ProblemResponses.NotFound("unknown-elder", "No elder with this id is registered in this community.");

        var decision = ElderChanges.RevokeProxy(elder.Aggregate, proxyId, command.RecordedBy, clock);
        if (decision.Rejection is { } rejection) return ProblemResponses.From(rejection);
        elder.AppendOne(decision.Event!);
        return Results.Ok(new ProxiesResponse(elderId, Elder.Evolve(elder.Aggregate, decision.Event!)!.Proxies));
    }
}
