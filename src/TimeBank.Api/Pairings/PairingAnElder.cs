using FluentValidation;
using Marten;
using TimeBank.Api.Communities;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.Partners;
using TimeBank.Api.People;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Elders;
using TimeBank.Domain.Pairings;
using TimeBank.Domain.Partners;
using TimeBank.Domain.Shared;
using TimeBank.Domain.Volunteers;
using Wolverine.Http;

namespace TimeBank.Api.Pairings;

/// <summary>Pair a volunteer with an elder (结对). An elder has one active pairing at a time.</summary>
/// <param name="Basis">kinship, proximity or familiarity (就亲、就近、就熟).</param>
/// <param name="StartedOn">The day it starts in the community's calendar; today when left out.</param>
public sealed record PairElder(Guid VolunteerId, Guid ElderId, PairingBasis? Basis, DateOnly? StartedOn, string RecordedBy) : IExampleRequest<PairElder>
{
    public static PairElder Example => new(ExampleIds.Volunteer, ExampleIds.Elder, PairingBasis.Proximity, ExampleIds.Day, "grid-01");

    public sealed class Validator : AbstractValidator<PairElder>
    {
        public Validator()
        {
            RuleFor(c => c.VolunteerId).NotEmpty();
            RuleFor(c => c.ElderId).NotEmpty();
            RuleFor(c => c.Basis).NotNull().IsInEnum();
            RuleFor(c => c.RecordedBy).Recorder();
        }
    }
}

/// <summary>End a pairing; the elder can then be paired again.</summary>
public sealed record EndPairing(DateOnly? EndedOn, PairingEndReason? Reason, string RecordedBy) : IExampleRequest<EndPairing>
{
    public static EndPairing Example => new(ExampleIds.Day, PairingEndReason.ReplacedByAnotherVolunteer, "grid-01");

    public sealed class Validator : AbstractValidator<EndPairing>
    {
        public Validator()
        {
            RuleFor(c => c.Reason).NotNull().IsInEnum();
            RuleFor(c => c.RecordedBy).Recorder();
        }
    }
}

public sealed record PairingResponse(Guid PairingId, Guid VolunteerId, Guid ElderId, PairingBasis Basis, DateOnly StartedOn, DateOnly? EndedOn, PairingEndReason? EndReason)
{
    public static PairingResponse From(Pairing p) => new(p.Id, p.VolunteerId, p.ElderId, p.Basis, p.StartedOn, p.EndedOn, p.EndReason);
}

/// <summary>A person as printed on the pairing card: name and phone.</summary>
public sealed record CardContact(Guid Id, string? Name, string? Phone);

/// <summary>The pairing card (结对爱心卡) given to the elder: their volunteer and grid worker, with phones.</summary>
public sealed record PairingCardResponse(Guid ElderId, string? ElderName, CardContact Volunteer, CardContact? GridWorker, DateOnly PairedSince);

public static class PairingEndpoints
{
    [WolverinePost("/api/v1/communities/{community}/pairings", Name = "PairElder")]
    [VersionedResource]
    [RequiresRole(PartnerRole.Recorder)]
    [Tags("Pairings")]
    public static async Task<Results<Created<PairingResponse>, ProblemHttpResult>> Pair(string community, [NotBody] Community home, PairElder command, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken cancellation)
    {
        // The elder's stream guards "one active pairing": two pairings of one elder at once cannot both land.
        var elder = await session.Events.FetchForWriting<Elder>(command.ElderId, cancellation);
        if (elder.Aggregate is not null && StreamVersions.Refusal(context, elder) is { } stale) return stale;
        var volunteer = await session.LoadAsync<Volunteer>(command.VolunteerId, cancellation);
        var decision = PairingRules.Pair(Guid.CreateVersion7(), elder.Aggregate, volunteer, command.StartedOn, command.Basis!.Value, command.RecordedBy, home.Calendar, clock);
        if (decision.Rejection is { } rejection) return ProblemResponses.From(rejection);

        var paired = decision.Event!;
        elder.AppendOne(paired);
        StreamVersions.TagAfterAppend(context, elder);
        return TypedResults.Created($"/api/v1/communities/{community}/pairings/{paired.PairingId}", PairingResponse.From(Pairing.Evolve(null, paired)!));
    }

    [WolverinePost("/api/v1/communities/{community}/pairings/{pairingId}/end", Name = "EndPairing")]

    [VersionedResource]
    [RequiresRole(PartnerRole.Recorder)]
    [Tags("Pairings")]
    public static async Task<Results<Ok<PairingResponse>, ProblemHttpResult>> End(string community, [NotBody] Community home, Guid pairingId, EndPairing command, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken cancellation)
    {
        var pairing = await session.LoadAsync<Pairing>(pairingId, cancellation);
        if (pairing is null) return ProblemResponses.From(Rejection.NotFound("unknown-pairing", "pairingId", "No pairing with this id in this community."));

        // The pairing is read again once the elder's stream version is taken (see ServiceWrite): two ends of
        // one pairing never both pass.
        var elder = await session.Events.FetchForWriting<Elder>(pairing.ElderId, cancellation);
        if (StreamVersions.Refusal(context, elder) is { } stale) return stale;
        pairing = await session.LoadAsync<Pairing>(pairingId, cancellation);
        var decision = PairingRules.End(pairing, command.EndedOn, command.Reason!.Value, command.RecordedBy, home.Calendar, clock);
        if (decision.Rejection is { } rejection) return ProblemResponses.From(rejection);
        elder.AppendOne(decision.Event!);
        StreamVersions.TagAfterAppend(context, elder);
        return TypedResults.Ok(PairingResponse.From(Pairing.Evolve(pairing, decision.Event!)!));
    }

    /// <summary>A pairing of a volunteer with an elder; answers the elder's stream version as the ETag, for ending it with If-Match.</summary>
    [WolverineGet("/api/v1/communities/{community}/pairings/{pairingId}", Name = "GetPairing")]

    [VersionedResource]
    [Tags("Pairings")]
    public static async Task<Results<Ok<PairingResponse>, ProblemHttpResult>> Get(string community, Guid pairingId, IQuerySession session, HttpContext context, CancellationToken cancellation)
    {
        var pairing = await session.LoadAsync<Pairing>(pairingId, cancellation);
        if (pairing is not null)
        {
            // A pairing is kept on its elder's stream, so its ETag is the elder's version.
            await StreamVersions.TagAsync(context, session, pairing.ElderId, cancellation);
            return TypedResults.Ok(PairingResponse.From(pairing));
        }

        return await UnknownId.Pairing.AnswerAsync(session, community, cancellation);
    }

    /// <summary>Every pairing a volunteer has had in this community, active and ended.</summary>
    [WolverineGet("/api/v1/communities/{community}/volunteers/{volunteerId}/pairings", Name = "ListVolunteerPairings")]
    [Tags("Pairings")]
    public static async Task<Results<Ok<IEnumerable<PairingResponse>>, ProblemHttpResult>> OfVolunteer(string community, Guid volunteerId, IQuerySession session, CancellationToken cancellation)
    {
        if (await session.LoadAsync<Volunteer>(volunteerId, cancellation) is null)
        {
            return await UnknownId.Volunteer.AnswerAsync(session, community, cancellation);
        }

        var pairings = await session.Query<Pairing>().Where(p => p.VolunteerId == volunteerId).OrderBy(p => p.StartedOn).ToListAsync(cancellation);
        return TypedResults.Ok(pairings.Select(PairingResponse.From));
    }

    /// <summary>The elder's pairing card (结对爱心卡): the volunteer's and the grid worker's names and phones, to print.</summary>
    [WolverineGet("/api/v1/communities/{community}/elders/{elderId}/pairing-card", Name = "GetPairingCard")]
    [Tags("Pairings")]
    public static async Task<Results<Ok<PairingCardResponse>, ProblemHttpResult>> Card(string community, Guid elderId, IQuerySession session, CancellationToken cancellation)
    {
        var elder = await session.LoadAsync<Elder>(elderId, cancellation);
        if (elder is null)
        {
            return await UnknownId.Elder.AnswerAsync(session, community, cancellation);
        }

        if (elder.Pairing is not { } pairing) return ProblemResponses.NotFound("not-paired", "The elder has no active pairing.");

        var ids = new List<Guid> { elder.Id, pairing.VolunteerId };
        if (elder.GridWorkerId is { } gridWorkerId) ids.Add(gridWorkerId);
        var people = (await session.LoadManyAsync<PersonalDetails>(cancellation, ids)).ToDictionary(p => p.Id);

        // A person whose personal data was erased appears by id only.
        CardContact Contact(Guid id) => people.TryGetValue(id, out var p) ? new CardContact(id, p.Name, p.Phone) : new CardContact(id, null, null);
        var gridWorker = elder.GridWorkerId is { } worker ? Contact(worker) : null;
        return TypedResults.Ok(new PairingCardResponse(elder.Id, people.GetValueOrDefault(elder.Id)?.Name, Contact(pairing.VolunteerId), gridWorker, pairing.StartedOn));
    }
}
