using FluentValidation;
using Marten;
using TimeBank.Api.Communities;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.Infrastructure.Idempotency;
using TimeBank.Api.Partners;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Partners;
using Wolverine.Http;

namespace TimeBank.Api.People;

/// <summary>
/// A person's personal data was erased at their request (PIPL). Appended to the person's own stream; it
/// carries nothing personal, so the history keeps that erasure happened, and when, and at whose request.
/// </summary>
public sealed record PersonalDataErased(Guid PersonId, PersonRole Role, string ErasedBy, DateTimeOffset ErasedAt);

/// <summary>Erase a person's name, phone, birth dates, address and emergency contact; their records stay, by id.</summary>
public sealed record ErasePersonalData(string RecordedBy) : IExampleRequest<ErasePersonalData>
{
    public static ErasePersonalData Example => new("office-01");

    public sealed class Validator : AbstractValidator<ErasePersonalData>
    {
        public Validator() => RuleFor(c => c.RecordedBy).Recorder();
    }
}

public sealed record ErasureResponse(Guid PersonId, PersonRole Role, DateTimeOffset ErasedAt);

public static class ErasureEndpoint
{
    [WolverinePost("/api/v1/communities/{community}/people/{personId}/erasure", Name = "ErasePersonalData")]
    [RequiresRole(PartnerRole.Recorder)]
    [Tags("People")]
    public static async Task<Results<Ok<ErasureResponse>, ProblemHttpResult>> Erase(
        string community, [NotBody] Community home, Guid personId, ErasePersonalData command, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var details = await session.LoadAsync<PersonalDetails>(personId, cancellation);
        if (details is null)
        {
            return ProblemResponses.NotFound("unknown-person", "No personal data is kept for this id in this community (unknown, or already erased).");
        }

        var erased = new PersonalDataErased(personId, details.Role, command.RecordedBy, clock.GetUtcNow());
        session.Events.Append(personId, erased);
        // A hard delete: the row is gone, not flagged. Nothing else stores these fields.
        session.HardDelete(details);
        // Notes may name the person: those of every service they took part in go too.
        session.HardDeleteWhere<Services.ServiceNote>(n => n.VolunteerId == personId || n.ElderIds.Contains(personId));
        // Kept answers to retried requests may hold them too (a registration's answer, a pairing card's): they lose their body.
        IdempotentRequests.ForgetAnswersNaming(session, [personId.ToString(), details.Name, details.Phone, details.Address, details.EmergencyContact?.Name, details.EmergencyContact?.Phone]);
        return TypedResults.Ok(new ErasureResponse(personId, details.Role, erased.ErasedAt));
    }
}
