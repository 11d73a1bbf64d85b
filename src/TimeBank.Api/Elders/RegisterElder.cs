using FluentValidation;
using Marten;
using TimeBank.Api.Communities;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.People;
using TimeBank.Domain.Elders;
using Wolverine.Http;

namespace TimeBank.Api.Elders;

/// <summary>Register an elder ("90") for care, in the care category the survey found.</summary>
/// <param name="CareCategory">comfortable (小康型), living-alone (独居型), disabled (失能型) or poor (贫困型).</param>
public sealed record RegisterElder(
    string Name,
    string? Phone,
    DateOnly? BirthDate,
    string? Address,
    CareCategory? CareCategory,
    string RecordedBy)
{
    public sealed class Validator : AbstractValidator<RegisterElder>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(c => c.Name).PersonName();
            RuleFor(c => c.Phone).PhoneNumber();
            RuleFor(c => c.BirthDate).BirthDate(clock);
            RuleFor(c => c.Address).MaximumLength(200);
            RuleFor(c => c.CareCategory).NotNull().IsInEnum();
            RuleFor(c => c.RecordedBy).NotEmpty().MaximumLength(64);
        }
    }
}

/// <summary>An elder as the API shows them.</summary>
public sealed record ElderResponse(Guid Id, string Name, string? Phone, DateOnly? BirthDate, string? Address, CareCategory CareCategory, DateOnly RegisteredOn)
{
    public static ElderResponse From(Elder elder, PersonalDetails details) =>
        new(elder.Id, details.Name, details.Phone, details.BirthDate, details.Address, elder.Category, elder.RegisteredOn);
}

public static class RegisterElderEndpoint
{
    [WolverinePost("/api/v1/communities/{community}/elders", Name = "RegisterElder")]
    [Tags("Elders")]
    public static async Task<IResult> Post(
        string community, RegisterElder command, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var home = await session.LoadCommunityAsync(community, cancellation);
        if (home is null) return ProblemResponses.CommunityNotFound(community);

        var elderId = Guid.CreateVersion7();
        var registered = new ElderRegistered(elderId, command.CareCategory!.Value, home.Calendar.Today(clock), command.RecordedBy, clock.GetUtcNow());
        session.Events.StartStream<Elder>(elderId, registered);
        var details = new PersonalDetails(elderId, PersonRole.Elder, command.Name, command.Phone, command.BirthDate, command.Address);
        session.Store(details);
        return Results.Created($"/api/v1/communities/{community}/elders/{elderId}", ElderResponse.From(Elder.Started(registered), details));
    }
}
