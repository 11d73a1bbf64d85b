using FluentValidation;
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

/// <summary>Record a service a volunteer did, depositing its minutes in their time account.</summary>
/// <param name="ServiceId">The partner's id for this record; one is made when left out.</param>
/// <param name="ElderIds">The elder served, or the elders at a group activity.</param>
/// <param name="ServiceType">A code from the service catalogue, e.g. greeting-call or home-visit.</param>
/// <param name="StartedAt">When it started, ISO 8601 with offset.</param>
/// <param name="Minutes">How long it lasted, in whole minutes.</param>
/// <param name="Note">Free text about the service. Kept beside the ledger, not in it: it may name people, so it is erased with them.</param>
public sealed record RecordService(
    Guid? ServiceId,
    Guid VolunteerId,
    IReadOnlyList<Guid> ElderIds,
    string ServiceType,
    DateTimeOffset StartedAt,
    int Minutes,
    string RecordedBy,
    string? Note = null) : IExampleRequest<RecordService>
{
    public static RecordService Example => new(ExampleIds.Service, ExampleIds.Volunteer, [ExampleIds.Elder], "home-visit", ExampleIds.Morning, 60, "grid-01", "陪老人聊天，检查药盒");

    public const int MaxEldersPerService = 100;

    public sealed class Validator : AbstractValidator<RecordService>
    {
        public Validator()
        {
            RuleFor(c => c.ServiceId).NotEqual(Guid.Empty);
            RuleFor(c => c.VolunteerId).NotEmpty();
            RuleFor(c => c.ElderIds).NotEmpty()
                .Must(ids => ids.Count <= MaxEldersPerService).WithMessage($"At most {MaxEldersPerService} elders per service.")
                .Must(ids => ids.Distinct().Count() == ids.Count).WithMessage("An elder is named twice.");
            RuleForEach(c => c.ElderIds).NotEmpty();
            RuleFor(c => c.ServiceType).NotEmpty().MaximumLength(40);
            RuleFor(c => c.StartedAt).NotEmpty();
            RuleFor(c => c.Minutes).GreaterThan(0);
            RuleFor(c => c.RecordedBy).Recorder();
            RuleFor(c => c.Note).MaximumLength(500);
        }
    }
}

public static class RecordServiceEndpoint
{
    [WolverinePost("/api/v1/communities/{community}/services", Name = "RecordService")]
    [RequiresRole(PartnerRole.Recorder)]
    [Tags("Services")]
    public static async Task<Results<Created<ServiceResponse>, Ok<ServiceResponse>, ProblemHttpResult>> Post(
        string community, RecordService command, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        if (!CommunityCode.IsValid(community)) return ProblemResponses.CommunityNotFound(community);
        var report = new ServiceReport(
            command.ServiceId ?? Guid.CreateVersion7(), command.VolunteerId, command.ElderIds, command.ServiceType, command.StartedAt, command.Minutes, command.RecordedBy);

        // Everything the decision reads, in one round trip. Fetching for writing remembers the volunteer's stream
        // version, so if another write lands on them first (another service, a spend), saving fails instead of
        // deciding on a stale account; it comes first, so the views read after it are at least as new.
        var reads = session.CreateBatchQuery();
        var accountRead = reads.Events.FetchForWriting<Volunteer>(command.VolunteerId);
        var homeRead = reads.Load<Community>(CommunityCode.StreamId(community));
        var earlierRead = command.ServiceId is { } given ? reads.Load<ServiceRecord>(given) : Task.FromResult<ServiceRecord?>(null);
        // Each elder by id, not all by an array: PostgreSQL plans `id = any($1)` anew on every execution (its generic
        // plan is costed for a larger array), while `id = $1` keeps its prepared plan.
        var eldersRead = command.ElderIds.Select(id => reads.Load<Elder>(id)).ToList();
        var nearbyRead = reads.ServicesNear(report.VolunteerId, report.StartedAt, report.EndedAt);
        await reads.Execute(cancellation);

        if (await homeRead is not { } home) return ProblemResponses.CommunityNotFound(community);

        // A partner that resends a service under its own id gets the first answer back, and nothing more is written.
        if (await earlierRead is { } existing)
        {
            return report.IsRetryOf(existing)
                ? TypedResults.Ok(ServiceResponse.From(existing))
                : ProblemResponses.From(ServiceRecording.IdTaken);
        }

        var account = await accountRead;
        IReadOnlyList<Elder> elders = [.. (await Task.WhenAll(eldersRead)).OfType<Elder>()];

        var decision = ServiceRecording.Decide(report, home, account.Aggregate, elders, await nearbyRead, clock);
        if (decision.Rejection is { } rejection) return ProblemResponses.From(rejection);

        var recorded = decision.Event!;
        account.AppendOne(recorded);
        if (!string.IsNullOrWhiteSpace(command.Note)) session.Store(new ServiceNote(recorded.ServiceId, recorded.VolunteerId, recorded.ElderIds, command.Note));
        return TypedResults.Created($"/api/v1/communities/{community}/services/{recorded.ServiceId}", ServiceResponse.From(ServiceRecord.Started(recorded)));
    }
}
