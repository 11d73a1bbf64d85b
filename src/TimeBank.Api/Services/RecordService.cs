using FluentValidation;
using Marten;
using TimeBank.Api.Communities;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Domain.Elders;
using TimeBank.Domain.Services;
using TimeBank.Domain.Volunteers;
using Wolverine.Http;

namespace TimeBank.Api.Services;

/// <summary>Record a service a volunteer did, depositing its minutes in their time account.</summary>
/// <param name="ServiceId">The partner's id for this record; one is made when left out.</param>
/// <param name="ElderIds">The elder served, or the elders at a group activity.</param>
/// <param name="ServiceType">A code from the service catalogue, e.g. greeting-call or home-visit.</param>
/// <param name="StartedAt">When it started, ISO 8601 with offset.</param>
/// <param name="Minutes">How long it lasted, in whole minutes.</param>
public sealed record RecordService(
    Guid? ServiceId,
    Guid VolunteerId,
    IReadOnlyList<Guid> ElderIds,
    string ServiceType,
    DateTimeOffset StartedAt,
    int Minutes,
    string RecordedBy)
{
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
            RuleFor(c => c.RecordedBy).NotEmpty().MaximumLength(64);
        }
    }
}

/// <summary>What the ledger recorded for a service.</summary>
public sealed record ServiceRecordedResponse(
    Guid ServiceId,
    Guid VolunteerId,
    IReadOnlyList<Guid> ElderIds,
    string ServiceType,
    DateTimeOffset StartedAt,
    DateOnly ServiceDay,
    int Minutes,
    int MinutesBanked);

public static class RecordServiceEndpoint
{
    [WolverinePost("/api/v1/communities/{community}/services", Name = "RecordService")]
    [Tags("Services")]
    public static async Task<IResult> Post(
        string community, RecordService command, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var home = await session.LoadCommunityAsync(community, cancellation);
        if (home is null) return ProblemResponses.CommunityNotFound(community);

        // Fetching for writing remembers the stream's version: if another write lands on this volunteer
        // first, saving fails instead of deciding on a stale balance.
        var account = await session.Events.FetchForWriting<Volunteer>(command.VolunteerId, cancellation);
        var elders = await session.LoadManyAsync<Elder>(cancellation, command.ElderIds);
        var report = new ServiceReport(
            command.ServiceId ?? Guid.CreateVersion7(), command.VolunteerId, command.ElderIds, command.ServiceType, command.StartedAt, command.Minutes, command.RecordedBy);

        var decision = ServiceRecording.Decide(report, account.Aggregate, elders, home.Calendar, clock);
        if (decision.Rejection is { } rejection) return ProblemResponses.From(rejection);

        var recorded = decision.Event!;
        account.AppendOne(recorded);
        return Results.Json(
            new ServiceRecordedResponse(recorded.ServiceId, recorded.VolunteerId, recorded.ElderIds, recorded.ServiceType, recorded.StartedAt, recorded.ServiceDay, recorded.Minutes, recorded.MinutesBanked),
            statusCode: StatusCodes.Status201Created);
    }
}
