using FluentValidation;
using Marten;
using TimeBank.Api.Communities;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.Partners;
using TimeBank.Api.Services;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Elders;
using TimeBank.Domain.Families;
using TimeBank.Domain.Partners;
using TimeBank.Domain.Services;
using TimeBank.Domain.Shared;
using TimeBank.Domain.TimeAccounts;
using TimeBank.Domain.Volunteers;
using Wolverine;
using Wolverine.Http;

namespace TimeBank.Api.TimeAccounts;

/// <summary>Ask for a service paid from a time account; its minutes are held until it is delivered, cancelled or expires.</summary>
/// <param name="AccountId">The volunteer or family member whose banked minutes pay for it.</param>
/// <param name="BeneficiaryId">Who receives the service: the account holder (when left out) or a registered family member of theirs.</param>
/// <param name="ProxyId">Set when a family member or grid worker approved to act for the account holder asks on their behalf.</param>
public sealed record RequestTimeSavingsService(Guid AccountId, Guid? BeneficiaryId, string ServiceType, int Minutes, Guid? ProxyId, string RecordedBy) : IExampleRequest<RequestTimeSavingsService>
{
    public static RequestTimeSavingsService Example => new(ExampleIds.Volunteer, null, "cleaning-laundry", 120, null, "grid-01");

    public sealed class Validator : AbstractValidator<RequestTimeSavingsService>
    {
        public Validator()
        {
            RuleFor(c => c.AccountId).NotEmpty();
            RuleFor(c => c.BeneficiaryId).NotEqual(Guid.Empty);
            RuleFor(c => c.ServiceType).NotEmpty().MaximumLength(40);
            RuleFor(c => c.Minutes).InclusiveBetween(1, ServiceCatalogue.AbsoluteMaxMinutes);
            RuleFor(c => c.ProxyId).NotEqual(Guid.Empty);
            RuleFor(c => c.RecordedBy).Recorder();
        }
    }
}

/// <summary>A volunteer delivered the requested service; they bank its minutes as for any service.</summary>
public sealed record DeliverTimeSavingsService(Guid? ServiceId, Guid ProviderVolunteerId, DateTimeOffset StartedAt, int Minutes, string RecordedBy) : IExampleRequest<DeliverTimeSavingsService>
{
    public static DeliverTimeSavingsService Example => new(ExampleIds.Service, ExampleIds.OtherVolunteer, ExampleIds.Morning, 120, "grid-01");

    public sealed class Validator : AbstractValidator<DeliverTimeSavingsService>
    {
        public Validator()
        {
            RuleFor(c => c.ServiceId).NotEqual(Guid.Empty);
            RuleFor(c => c.ProviderVolunteerId).NotEmpty();
            RuleFor(c => c.StartedAt).NotEmpty();
            RuleFor(c => c.Minutes).GreaterThan(0);
            RuleFor(c => c.RecordedBy).Recorder();
        }
    }
}

public sealed record CancelTimeSavingsService(string RecordedBy) : IExampleRequest<CancelTimeSavingsService>
{
    public static CancelTimeSavingsService Example => new("grid-01");

    public sealed class Validator : AbstractValidator<CancelTimeSavingsService>
    {
        public Validator() => RuleFor(c => c.RecordedBy).Recorder();
    }
}

public sealed record TimeSavingsRequestResponse(
    Guid RequestId, Guid AccountId, Guid BeneficiaryId, string ServiceType, int MinutesHeld, DateTimeOffset ExpiresAt,
    TimeSavingsStatus Status, int MinutesSpent, Guid? ProviderVolunteerId, Guid? ServiceId)
{
    public static TimeSavingsRequestResponse From(TimeSavingsRequest r) =>
        new(r.Id, r.AccountId, r.BeneficiaryId, r.ServiceType, r.MinutesHeld, r.ExpiresAt, r.Status, r.MinutesSpent, r.ProviderVolunteerId, r.ServiceId);
}

/// <summary>Sent, scheduled for the end of a hold, to release it if the request is still open then.</summary>
public sealed record ExpireTimeSavingsHold(Guid RequestId);

public static class TimeSavingsEndpoints
{
    [WolverinePost("/api/v1/communities/{community}/time-savings", Name = "RequestTimeSavingsService")]
    [RequiresRole(PartnerRole.Recorder)]
    [Tags("Time accounts")]
    public static async Task<Results<Created<TimeSavingsRequestResponse>, ProblemHttpResult>> Request(
        string community, [NotBody] Community home, RequestTimeSavingsService command, IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken cancellation)
    {
        var account = await AccountStream.OpenAsync(session, command.AccountId, cancellation);
        if (account is null) return ProblemResponses.From(Rejection.NotFound("unknown-account", "accountId", "No volunteer or family member with this id in this community."));

        var beneficiaryId = command.BeneficiaryId ?? command.AccountId;
        var isFamily = account.IsVolunteer && await session.LoadAsync<FamilyMember>(beneficiaryId, cancellation) is { } member && member.RelativeId == account.Id;
        var proxyIsEligible = command.ProxyId is { } proxy && account.Proxies.Contains(proxy);
        var decision = TimeSavings.Request(Guid.CreateVersion7(), account.Id, account.Account, beneficiaryId, isFamily,
            command.ServiceType, command.Minutes, command.RecordedBy, command.ProxyId, proxyIsEligible, home, clock);
        if (decision.Rejection is { } rejection) return ProblemResponses.From(rejection);

        var requested = decision.Event!;
        account.Append(requested);
        // Durable and in the same transaction as the request: the hold is released even if this node stops.
        await bus.ScheduleAsync(new ExpireTimeSavingsHold(requested.RequestId), requested.ExpiresAt);
        return TypedResults.Created($"/api/v1/communities/{community}/time-savings/{requested.RequestId}",
            TimeSavingsRequestResponse.From(TimeSavingsRequest.Evolve(null, requested)!));
    }

    /// <summary>A request to spend banked minutes on a service: the minutes held, and whether it was delivered, cancelled or expired.</summary>
    [WolverineGet("/api/v1/communities/{community}/time-savings/{requestId}", Name = "GetTimeSavingsRequest")]
    [Tags("Time accounts")]
    public static async Task<Results<Ok<TimeSavingsRequestResponse>, ProblemHttpResult>> Get(string community, Guid requestId, IQuerySession session, CancellationToken cancellation)
    {
        var request = await session.LoadAsync<TimeSavingsRequest>(requestId, cancellation);
        if (request is not null) return TypedResults.Ok(TimeSavingsRequestResponse.From(request));
        return await UnknownId.TimeSavingsRequest.AnswerAsync(session, community, cancellation);
    }

    [WolverinePost("/api/v1/communities/{community}/time-savings/{requestId}/delivery", Name = "DeliverTimeSavingsService")]
    [RequiresRole(PartnerRole.Recorder)]
    [Tags("Time accounts")]
    public static async Task<Results<Ok<TimeSavingsRequestResponse>, ProblemHttpResult>> Deliver(
        [NotBody] Community home, Guid requestId, DeliverTimeSavingsService command, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var (request, account) = await AccountStream.OpenForRequestAsync(session, requestId, cancellation);
        var serviceId = command.ServiceId ?? Guid.CreateVersion7();
        // A delivery sent again under its service id (or one that lost its race to itself) answers the request as delivered.
        if (request is not null && request.IsDeliveredAs(serviceId, command.ProviderVolunteerId, command.Minutes))
        {
            return TypedResults.Ok(TimeSavingsRequestResponse.From(request));
        }

        var delivered = TimeSavings.Deliver(request, command.ProviderVolunteerId, serviceId, command.Minutes, clock);
        if (delivered.Rejection is { } refused) return ProblemResponses.From(refused);

        // The provider banks the service like any other (same rules); the account holder spends the minutes.
        // Both streams are written in one transaction, each guarded by its version.
        var report = new ServiceReport(serviceId, command.ProviderVolunteerId, [], request!.ServiceType, command.StartedAt, command.Minutes, command.RecordedBy, requestId);
        var provider = await session.Events.FetchForWriting<Volunteer>(command.ProviderVolunteerId, cancellation);
        var nearby = await session.ServicesNearAsync(report.VolunteerId, report.StartedAt, report.EndedAt, cancellation);
        var recorded = ServiceRecording.Decide(report, home, provider.Aggregate, Array.Empty<Elder>(), nearby, clock);
        if (recorded.Rejection is { } rejection) return ProblemResponses.From(rejection with { Field = rejection.Field == "volunteerId" ? "providerVolunteerId" : rejection.Field });

        provider.AppendOne(recorded.Event!);
        account!.Append(delivered.Event!);
        return TypedResults.Ok(TimeSavingsRequestResponse.From(TimeSavingsRequest.Evolve(request, delivered.Event!)!));
    }


    /// <summary>Cancel a time-savings request before it is delivered: the minutes held come back to the account.</summary>
    [WolverinePost("/api/v1/communities/{community}/time-savings/{requestId}/cancellation", Name = "CancelTimeSavingsService")]
    [RequiresRole(PartnerRole.Recorder)]
    [Tags("Time accounts")]
    public static async Task<Results<Ok<TimeSavingsRequestResponse>, ProblemHttpResult>> Cancel(
        string community, [NotBody] Community home, Guid requestId, CancelTimeSavingsService command, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var (request, account) = await AccountStream.OpenForRequestAsync(session, requestId, cancellation);
        var decision = TimeSavings.Cancel(request, command.RecordedBy, clock);
        if (decision.Rejection is { } rejection) return ProblemResponses.From(rejection);
        account!.Append(decision.Event!);
        return TypedResults.Ok(TimeSavingsRequestResponse.From(TimeSavingsRequest.Evolve(request, decision.Event!)!));
    }
}

/// <summary>Releases a hold whose time has run out. Runs in the request's community (the message carries its tenant).</summary>
public static class ExpireTimeSavingsHoldHandler
{
    public static async Task Handle(ExpireTimeSavingsHold message, IDocumentSession session, TimeProvider clock, ILogger<ExpireTimeSavingsHold> logger, CancellationToken cancellation)
    {
        var (request, account) = await AccountStream.OpenForRequestAsync(session, message.RequestId, cancellation);
        if (TimeSavings.Expire(request, clock) is not { } expired)
        {
            logger.LogInformation("Time-savings request {RequestId} is not due to expire (status {Status})", message.RequestId, request?.Status);
            return;
        }

        account!.Append(expired);
        logger.LogInformation("Released the hold of time-savings request {RequestId}", message.RequestId);
    }
}
