using FluentValidation;
using Marten;
using TimeBank.Api.Communities;
using TimeBank.Api.Infrastructure.EventStore;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.Partners;
using TimeBank.Api.People;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Elders;
using TimeBank.Domain.Families;
using TimeBank.Domain.Partners;
using TimeBank.Domain.Shared;
using TimeBank.Domain.Volunteers;
using Wolverine.Http;

namespace TimeBank.Api.Families;

public static class FamiliesConfiguration
{
    /// <summary>Inline: a family member's account is read and written right after they are registered.</summary>
    public static void ConfigureFamilies(this StoreOptions options) => options.AddInlineSnapshot<FamilyMember>();
}

/// <summary>Register a family member of a volunteer or an elder.</summary>
/// <param name="RelativeId">The volunteer or elder they belong to.</param>
public sealed record RegisterFamilyMember(string Name, string? Phone, Guid RelativeId, Relationship? Relationship, string RecordedBy) : IExampleRequest<RegisterFamilyMember>
{
    public static RegisterFamilyMember Example => new("王小明", "13600000004", ExampleIds.Volunteer, TimeBank.Domain.Families.Relationship.Child, "grid-01");

    public sealed class Validator : AbstractValidator<RegisterFamilyMember>
    {
        public Validator()
        {
            RuleFor(c => c.Name).PersonName();
            RuleFor(c => c.Phone).PhoneNumber();
            RuleFor(c => c.RelativeId).NotEmpty();
            RuleFor(c => c.Relationship).NotNull().IsInEnum();
            RuleFor(c => c.RecordedBy).Recorder();
        }
    }
}

/// <summary>A family member; name and phone are null once erased.</summary>
public sealed record FamilyMemberResponse(Guid Id, string? Name, string? Phone, Guid RelativeId, Relationship Relationship);

public static class FamilyMemberEndpoints
{
    [WolverinePost("/api/v1/communities/{community}/family-members", Name = "RegisterFamilyMember")]
    [RequiresRole(PartnerRole.Recorder)]
    [Tags("People")]
    public static async Task<Results<Created<FamilyMemberResponse>, ProblemHttpResult>> Register(string community, [NotBody] Community home, RegisterFamilyMember command, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var relativeKnown = await session.LoadAsync<Volunteer>(command.RelativeId, cancellation) is not null
            || await session.LoadAsync<Elder>(command.RelativeId, cancellation) is not null;
        if (!relativeKnown)
        {
            return ProblemResponses.From(Rejection.NotFound("unknown-relative", "relativeId", "No volunteer or elder with this id in this community."));
        }

        var id = Guid.CreateVersion7();
        session.Events.StartStream<FamilyMember>(id, new FamilyMemberRegistered(id, command.RelativeId, command.Relationship!.Value, command.RecordedBy, clock.GetUtcNow()));
        session.Store(new PersonalDetails(id, PersonRole.FamilyMember, command.Name, command.Phone));
        return TypedResults.Created(
            $"/api/v1/communities/{community}/family-members/{id}",
            new FamilyMemberResponse(id, command.Name, command.Phone, command.RelativeId, command.Relationship.Value));
    }

    /// <summary>A volunteer's family member who may receive minutes as gifts.</summary>
    [WolverineGet("/api/v1/communities/{community}/family-members/{familyMemberId}", Name = "GetFamilyMember")]
    [Tags("People")]
    public static async Task<Results<Ok<FamilyMemberResponse>, ProblemHttpResult>> Get(string community, Guid familyMemberId, IQuerySession session, CancellationToken cancellation)
    {
        var member = await session.LoadAsync<FamilyMember>(familyMemberId, cancellation);
        var details = await session.LoadAsync<PersonalDetails>(familyMemberId, cancellation);
        if (member is not null) return TypedResults.Ok(new FamilyMemberResponse(member.Id, details?.Name, details?.Phone, member.RelativeId, member.Relationship));

        return await UnknownId.FamilyMember.AnswerAsync(session, community, cancellation);
    }
}
