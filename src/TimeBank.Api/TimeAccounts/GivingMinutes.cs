using FluentValidation;
using Marten;
using TimeBank.Api.Communities;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.Partners;
using TimeBank.Api.Volunteers;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Families;
using TimeBank.Domain.Partners;
using TimeBank.Domain.Shared;
using TimeBank.Domain.TimeAccounts;
using TimeBank.Domain.Volunteers;
using Wolverine.Http;

namespace TimeBank.Api.TimeAccounts;

/// <summary>Give banked minutes to a family member's account, where the community allows it.</summary>
public sealed record GiveMinutes(Guid FamilyMemberId, int Minutes, string RecordedBy) : IExampleRequest<GiveMinutes>
{
    public static GiveMinutes Example => new(ExampleIds.FamilyMember, 120, "grid-01");

    public sealed class Validator : AbstractValidator<GiveMinutes>
    {
        public Validator()
        {
            RuleFor(c => c.FamilyMemberId).NotEmpty();
            RuleFor(c => c.Minutes).GreaterThan(0);
            RuleFor(c => c.RecordedBy).Recorder();
        }
    }
}

/// <summary>A family member's account: minutes received from the family's volunteers and what became of them.</summary>
public sealed record FamilyAccountResponse(Guid FamilyMemberId, int Received, int Spent, int Held, int Balance, int Available);

public static class GivingMinutesEndpoints
{
    [WolverinePost("/api/v1/communities/{community}/volunteers/{volunteerId}/gifts", Name = "GiveMinutes")]
    [RequiresRole(PartnerRole.Recorder)]
    [Tags("Time accounts")]
    public static async Task<Results<Ok<TimeAccountResponse>, ProblemHttpResult>> Give(
        [NotBody] Community home, Guid volunteerId, GiveMinutes command, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var volunteer = await session.Events.FetchForWriting<Volunteer>(volunteerId, cancellation);
        if (volunteer.Aggregate is null) return UnknownId.Volunteer.Answer();
        var family = await session.Events.FetchForWriting<FamilyMember>(command.FamilyMemberId, cancellation);

        var isFamily = family.Aggregate?.RelativeId == volunteerId;
        var decision = TimeSavings.Give(volunteerId, volunteer.Aggregate.Account, command.FamilyMemberId, isFamily, command.Minutes, command.RecordedBy, home, clock);
        if (decision.Rejection is { } rejection) return ProblemResponses.From(rejection);

        var given = decision.Event!;
        volunteer.AppendOne(given);
        family.AppendOne(new MinutesReceived(command.FamilyMemberId, volunteerId, given.Minutes, given.GivenAt));
        return TypedResults.Ok(TimeAccountResponse.From(Volunteer.Evolve(volunteer.Aggregate, given)!));
    }

    /// <summary>A family member's time account: the minutes given to them and what they spent.</summary>
    [WolverineGet("/api/v1/communities/{community}/family-members/{familyMemberId}/time-account", Name = "GetFamilyTimeAccount")]
    [Tags("Time accounts")]
    public static async Task<Results<Ok<FamilyAccountResponse>, ProblemHttpResult>> FamilyAccount(string community, Guid familyMemberId, IQuerySession session, CancellationToken cancellation)
    {
        var member = await session.LoadAsync<FamilyMember>(familyMemberId, cancellation);
        if (member is null)
        {
            return await UnknownId.FamilyMember.AnswerAsync(session, community, cancellation);
        }

        var a = member.Account;
        return TypedResults.Ok(new FamilyAccountResponse(member.Id, a.Received, a.Spent, a.Held, a.Balance, a.Available));
    }
}
