using FluentValidation;
using JasperFx.Events;
using Marten;
using TimeBank.Api.Communities;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.Partners;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Elders;
using TimeBank.Domain.Partners;
using TimeBank.Domain.Services;
using TimeBank.Domain.Shared;
using TimeBank.Domain.Volunteers;
using Wolverine.Http;

namespace TimeBank.Api.Services;

/// <summary>Reverse a recorded service: its banked minutes leave the time account; both facts stay in the history.</summary>
public sealed record ReverseService(ReversalReason? Reason, string RecordedBy) : IExampleRequest<ReverseService>
{
    public static ReverseService Example => new(ReversalReason.EnteredInError, "office-01");

    public sealed class Validator : AbstractValidator<ReverseService>
    {
        public Validator()
        {
            RuleFor(c => c.Reason).NotNull().IsInEnum();
            RuleFor(c => c.RecordedBy).Recorder();
        }
    }
}

public static class ReverseServiceEndpoint
{
    [WolverinePost("/api/v1/communities/{community}/services/{serviceId}/reversal", Name = "ReverseService")]
    [RequiresRole(PartnerRole.Recorder)]
    [Tags("Services")]
    public static async Task<Results<Ok<ServiceResponse>, ProblemHttpResult>> Post(
        [NotBody] Community home, Guid serviceId, ReverseService command, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var target = await ServiceWrite.OpenAsync(session, serviceId, cancellation);
        var decision = ServiceCorrections.Reverse(target.Service, command.Reason!.Value, command.RecordedBy, clock);
        return target.Append(decision, reversed => ServiceRecord.Evolve(target.Service, reversed));
    }
}

/// <summary>
/// A write about one recorded service: the service's view, and the stream of the volunteer who did it
/// opened for writing, so that two corrections or evaluations of the same service cannot both pass.
/// </summary>
internal sealed record ServiceWrite(ServiceRecord? Service, IEventStream<Volunteer>? Stream)
{
    public static async Task<ServiceWrite> OpenAsync(IDocumentSession session, Guid serviceId, CancellationToken cancellation)
    {
        var service = await session.LoadAsync<ServiceRecord>(serviceId, cancellation);
        if (service is null) return new(null, null);
        var stream = await session.Events.FetchForWriting<Volunteer>(service.VolunteerId, cancellation);
        // Read the service again now that the stream's version is taken: a change that committed in between is
        // seen here, and one that commits after makes this write fail, so two requests never both decide on
        // the same old state (two reversals of one service).
        return new(await session.LoadAsync<ServiceRecord>(serviceId, cancellation), stream);
    }

    /// <summary>The elders the service was for, with the proxies approved to act for them.</summary>
    public async Task<IReadOnlyList<Elder>> EldersAsync(IQuerySession session, CancellationToken cancellation) =>
        Service is null ? [] : await session.LoadManyAsync<Elder>(cancellation, Service.ElderIds);

    public Results<Ok<ServiceResponse>, ProblemHttpResult> Append<TEvent>(Decision<TEvent> decision, Func<TEvent, ServiceRecord?> after)
        where TEvent : class
    {
        if (decision.Rejection is { } rejection) return ProblemResponses.From(rejection);
        Stream!.AppendOne(decision.Event!);
        return TypedResults.Ok(ServiceResponse.From(after(decision.Event!)!));
    }
}
