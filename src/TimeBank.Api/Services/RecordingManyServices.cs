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

/// <summary>
/// Record many services in one call (a partner's nightly sync): each record as for <c>POST …/services</c>,
/// decided in the order given, so a record sees the ones before it (caps, overlaps).
/// </summary>
public sealed record RecordServices(IReadOnlyList<RecordService>? Records) : IExampleRequest<RecordServices>
{
    public static RecordServices Example => new([RecordService.Example, RecordService.Example with { ServiceId = ExampleIds.Order, ServiceType = "greeting-call", Minutes = 15, Note = null }]);

    public const int MaxRecords = 5000;

    public sealed class Validator : AbstractValidator<RecordServices>
    {
        public Validator() =>
            RuleFor(c => c.Records).NotEmpty().Must(r => r!.Count <= MaxRecords).WithMessage($"Send at most {MaxRecords} records a call.");
    }
}

public enum RecordOutcomeKind
{
    Recorded,

    /// <summary>A resend of a service recorded before under the same id: nothing more written.</summary>
    AlreadyRecorded,

    Refused,
}

/// <summary>What became of one record: its position in the call, the service's id, and for a refusal the code and fields.</summary>
public sealed record RecordOutcome(int Index, Guid? ServiceId, RecordOutcomeKind Outcome, string? Code = null, IReadOnlyDictionary<string, string[]>? Errors = null);

public sealed record RecordServicesResponse(int Recorded, int AlreadyRecorded, int Refused, IReadOnlyList<RecordOutcome> Outcomes);

public static class RecordManyServicesEndpoint
{
    /// <summary>
    /// All the accepted records are appended in one transaction, each volunteer's at the version of their stream
    /// read here: if another write lands on one of them meanwhile, nothing of the call is written and it is decided
    /// again on what is now recorded (<see cref="Infrastructure.Http.LostRaces"/>). Everything the decisions read is
    /// read in one round trip.
    /// </summary>
    [WolverinePost("/api/v1/communities/{community}/services/batch", Name = "RecordServices")]
    [RequiresRole(PartnerRole.Recorder)]
    [Tags("Services")]
    public static async Task<Results<Ok<RecordServicesResponse>, ProblemHttpResult>> Post(
        [NotBody] Community home, RecordServices command, IValidator<RecordService> validator, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var records = command.Records!;
        var invalid = new Dictionary<int, IReadOnlyDictionary<string, string[]>>();
        for (var i = 0; i < records.Count; i++)
        {
            var result = await validator.ValidateAsync(records[i], cancellation);
            if (!result.IsValid) invalid[i] = RequestValidation.ErrorsOf(result);
        }

        var valid = Enumerable.Range(0, records.Count).Where(i => !invalid.ContainsKey(i)).Select(i => records[i]).ToList();
        // Every account for writing (their stream versions guard the append), then the views, in one round trip.
        var reads = session.CreateBatchQuery();
        var accountReads = valid.Select(r => r.VolunteerId).Distinct().ToDictionary(id => id, id => reads.Events.FetchForWriting<Volunteer>(id));
        var recordedRead = reads.LoadMany<ServiceRecord>().ById([.. valid.Select(r => r.ServiceId).OfType<Guid>().Distinct()]);
        var eldersRead = reads.LoadMany<Elder>().ById([.. valid.SelectMany(r => r.ElderIds).Distinct()]);
        var nearbyRead = reads.ServicesNear([.. valid.Select(r => (r.VolunteerId, r.StartedAt, r.StartedAt.AddMinutes(r.Minutes), home.Calendar.DayOf(r.StartedAt)))]);
        await reads.Execute(cancellation);
        var accounts = new Dictionary<Guid, IEventStream<Volunteer>>();
        foreach (var (volunteerId, read) in accountReads) accounts[volunteerId] = await read;
        var recorded = (await recordedRead).ToDictionary(s => s.Id);
        var elders = (await eldersRead).ToDictionary(e => e.Id);
        var nearby = await nearbyRead;

        // The rules, for every record in order, are the domain's; here they are read for it and their events appended.
        var reports = valid.Select(r => new ServiceReport(r.ServiceId ?? Guid.CreateVersion7(), r.VolunteerId, r.ElderIds, r.ServiceType, r.StartedAt, r.Minutes, r.RecordedBy)).ToList();
        var decided = ServiceRecording.DecideMany(reports, home, accounts.ToDictionary(a => a.Key, a => a.Value.Aggregate), recorded, elders, nearby, clock);
        var outcomes = new List<RecordOutcome>(records.Count);
        for (int i = 0, next = 0; i < records.Count; i++)
        {
            if (invalid.TryGetValue(i, out var errors))
            {
                outcomes.Add(new RecordOutcome(i, records[i].ServiceId, RecordOutcomeKind.Refused, "validation", errors));
                continue;
            }

            var outcome = decided[next++];
            if (outcome.Deposit is { } deposit)
            {
                accounts[deposit.VolunteerId].AppendOne(deposit);
                if (!string.IsNullOrWhiteSpace(records[i].Note)) session.Store(new ServiceNote(deposit.ServiceId, deposit.VolunteerId, deposit.ElderIds, records[i].Note!));
                outcomes.Add(new RecordOutcome(i, deposit.ServiceId, RecordOutcomeKind.Recorded));
            }
            else
            {
                outcomes.Add(outcome.Rejection is { } rejection
                    ? Refused(i, outcome.ServiceId, rejection)
                    : new RecordOutcome(i, outcome.ServiceId, RecordOutcomeKind.AlreadyRecorded));
            }
        }

        return TypedResults.Ok(new RecordServicesResponse(
            outcomes.Count(o => o.Outcome == RecordOutcomeKind.Recorded),
            outcomes.Count(o => o.Outcome == RecordOutcomeKind.AlreadyRecorded),
            outcomes.Count(o => o.Outcome == RecordOutcomeKind.Refused),
            outcomes));
    }

    private static RecordOutcome Refused(int index, Guid serviceId, Rejection rejection) =>
        new(index, serviceId, RecordOutcomeKind.Refused, rejection.Code, ProblemResponses.ErrorsOf(rejection));
}
