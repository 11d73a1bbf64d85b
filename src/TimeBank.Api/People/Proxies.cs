using FluentValidation;
using Marten;
using TimeBank.Api.Communities;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.Partners;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Elders;
using TimeBank.Domain.Families;
using TimeBank.Domain.GridWorkers;
using TimeBank.Domain.Partners;
using TimeBank.Domain.Proxies;
using TimeBank.Domain.Shared;
using TimeBank.Domain.Volunteers;
using Wolverine.Http;

namespace TimeBank.Api.People;

/// <summary>Approve a family member of the person, or a grid worker, to act for an elder or a volunteer.</summary>
public sealed record ApproveProxy(Guid ProxyId, string RecordedBy) : IExampleRequest<ApproveProxy>
{
    public static ApproveProxy Example => new(ExampleIds.FamilyMember, "office-01");

    public sealed class Validator : AbstractValidator<ApproveProxy>
    {
        public Validator()
        {
            RuleFor(c => c.ProxyId).NotEmpty();
            RuleFor(c => c.RecordedBy).Recorder();
        }
    }
}

/// <summary>Stop a proxy acting for the person.</summary>
public sealed record RevokeProxy(string RecordedBy) : IExampleRequest<RevokeProxy>
{
    public static RevokeProxy Example => new("office-01");

    public sealed class Validator : AbstractValidator<RevokeProxy>
    {
        public Validator() => RuleFor(c => c.RecordedBy).Recorder();
    }
}

/// <summary>Who may act for the person.</summary>
public sealed record ProxiesResponse(Guid PersonId, IReadOnlyList<Guid> Proxies);

public static class ProxyEndpoints
{
    [WolverinePost("/api/v1/communities/{community}/people/{personId}/proxies", Name = "ApproveProxy")]
    [RequiresRole(PartnerRole.Recorder)]
    [Tags("People")]
    public static async Task<Results<Ok<ProxiesResponse>, ProblemHttpResult>> Approve([NotBody] Community home, Guid personId, ApproveProxy command, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var eligible = (await session.LoadAsync<FamilyMember>(command.ProxyId, cancellation))?.RelativeId == personId
            || await session.LoadAsync<GridWorker>(command.ProxyId, cancellation) is not null;
        return await Change(session, personId, cancellation, current => ProxyRules.Approve(personId, current, command.ProxyId, eligible, command.RecordedBy, clock));
    }

    [WolverinePost("/api/v1/communities/{community}/people/{personId}/proxies/{proxyId}/revocation", Name = "RevokeProxy")]
    [RequiresRole(PartnerRole.Recorder)]
    [Tags("People")]
    public static Task<Results<Ok<ProxiesResponse>, ProblemHttpResult>> Revoke(
        [NotBody] Community home, Guid personId, Guid proxyId, RevokeProxy command, IDocumentSession session, TimeProvider clock, CancellationToken cancellation) =>
        Change(session, personId, cancellation, current => ProxyRules.Revoke(personId, current, proxyId, command.RecordedBy, clock));

    /// <summary>Proxies live on the stream of the person acted for, an elder's or a volunteer's, whose version guards them.</summary>
    private static async Task<Results<Ok<ProxiesResponse>, ProblemHttpResult>> Change<TEvent>(
        IDocumentSession session, Guid personId, CancellationToken cancellation, Func<IReadOnlyList<Guid>, Decision<TEvent>> decide)
        where TEvent : class
    {
        var elder = await session.Events.FetchForWriting<Elder>(personId, cancellation);
        if (elder.Aggregate is { } e) return Apply(decide(e.Proxies), elder.AppendOne, proxies: evt => Elder.Evolve(e, evt)!.Proxies, personId);
        var volunteer = await session.Events.FetchForWriting<Volunteer>(personId, cancellation);
        if (volunteer.Aggregate is { } v) return Apply(decide(v.Proxies), volunteer.AppendOne, proxies: evt => Volunteer.Evolve(v, evt)!.Proxies, personId);
        return ProblemResponses.NotFound("unknown-person", "No elder or volunteer with this id in this community.");
    }

    private static Results<Ok<ProxiesResponse>, ProblemHttpResult> Apply<TEvent>(Decision<TEvent> decision, Action<object> append, Func<object, IReadOnlyList<Guid>> proxies, Guid personId)
        where TEvent : class
    {
        if (decision.Rejection is { } rejection) return ProblemResponses.From(rejection);
        append(decision.Event!);
        return TypedResults.Ok(new ProxiesResponse(personId, proxies(decision.Event!)));
    }
}
