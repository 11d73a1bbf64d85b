using FluentValidation;
using Marten;
using TimeBank.Api.Communities;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.Partners;
using TimeBank.Api.People;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Elders;
using TimeBank.Domain.GridWorkers;
using TimeBank.Domain.Partners;
using TimeBank.Domain.Shared;
using Wolverine.Http;

namespace TimeBank.Api.Elders;

/// <summary>Register an elder ("90") for care, in the care category the survey found.</summary>
/// <param name="CareCategory">comfortable (小康型), living-alone (独居型), disabled (失能型) or poor (贫困型).</param>
/// <param name="LunarBirthday">The birthday by the lunar calendar, when the family celebrates it so.</param>
/// <param name="Compound">The residential compound (小区), which pairings and grid workers follow.</param>
public sealed record RegisterElder(
    string Name,
    string? Phone,
    DateOnly? BirthDate,
    LunarBirthday? LunarBirthday,
    string? Address,
    string? Compound,
    CareCategory? CareCategory,
    Guid? GridWorkerId,
    EmergencyContact? EmergencyContact,
    string RecordedBy) : IExampleRequest<RegisterElder>
{
    public static RegisterElder Example => new("李大爷", "13900000002", new DateOnly(1938, 2, 5), new LunarBirthday(1, 6), "迎泽街道 5 号楼 2 单元", "5 号楼", TimeBank.Domain.Elders.CareCategory.LivingAlone, ExampleIds.GridWorker, new EmergencyContact("李明", "13700000003"), "grid-01");

    public sealed class Validator : AbstractValidator<RegisterElder>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(c => c.Name).PersonName();
            RuleFor(c => c.Phone).PhoneNumber();
            RuleFor(c => c.BirthDate).BirthDate(clock);
            RuleFor(c => c.LunarBirthday).LunarBirthday();
            RuleFor(c => c.Address).MaximumLength(200);
            RuleFor(c => c.Compound).MaximumLength(60);
            RuleFor(c => c.CareCategory).NotNull().IsInEnum();
            RuleFor(c => c.GridWorkerId).NotEqual(Guid.Empty);
            RuleFor(c => c.EmergencyContact).EmergencyContact();
            RuleFor(c => c.RecordedBy).Recorder();
        }
    }
}

/// <summary>An elder as the API shows them: personal details, care category with its history, current pairing.</summary>
public sealed record ElderResponse(
    Guid Id,
    string? Name,
    string? Phone,
    DateOnly? BirthDate,
    LunarBirthday? LunarBirthday,
    string? Address,
    string? Compound,
    EmergencyContact? EmergencyContact,
    CareCategory CareCategory,
    IReadOnlyList<CareCategoryPeriod> CareCategoryHistory,
    Guid? GridWorkerId,
    ActivePairing? Pairing,
    IReadOnlyList<Guid> Proxies,
    DateOnly RegisteredOn,
    bool PersonalDataErased)
{
    public static ElderResponse From(Elder elder, PersonalDetails? details) =>
        new(elder.Id, details?.Name, details?.Phone, details?.BirthDate, details?.LunarBirthday, details?.Address, elder.Compound, details?.EmergencyContact,
            elder.Category, elder.CategoryHistory, elder.GridWorkerId, elder.Pairing, elder.Proxies, elder.RegisteredOn, details is null);
}

public static class RegisterElderEndpoint
{
    [WolverinePost("/api/v1/communities/{community}/elders", Name = "RegisterElder")]
    [RequiresRole(PartnerRole.Recorder)]
    [Tags("Elders")]
    public static async Task<Results<Created<ElderResponse>, ProblemHttpResult>> Post(
        string community, [NotBody] Community home, RegisterElder command, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        if (command.GridWorkerId is { } gridWorkerId && await session.LoadAsync<GridWorker>(gridWorkerId, cancellation) is null)
        {
            return ProblemResponses.From(Rejection.NotFound("unknown-grid-worker", "gridWorkerId", "No grid worker with this id in this community."));
        }

        var elderId = Guid.CreateVersion7();
        var registered = new ElderRegistered(
            elderId, command.CareCategory!.Value, command.Compound, command.GridWorkerId, home.Calendar.Today(clock), command.RecordedBy, clock.GetUtcNow());
        session.Events.StartStream<Elder>(elderId, registered);
        var details = new PersonalDetails(
            elderId, PersonRole.Elder, command.Name, command.Phone, command.BirthDate, command.Address, command.LunarBirthday, command.EmergencyContact);
        session.Store(details);
        return TypedResults.Created($"/api/v1/communities/{community}/elders/{elderId}", ElderResponse.From(Elder.Started(registered), details));
    }
}
