using FluentValidation;
using Marten;
using TimeBank.Api.Communities;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.Partners;
using TimeBank.Api.People;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Partners;
using TimeBank.Domain.Points;
using TimeBank.Domain.Volunteers;
using Wolverine.Http;

namespace TimeBank.Api.Volunteers;

/// <summary>Move a volunteer, with their banked minutes and their points (award by award), to another community of the service.</summary>
public sealed record TransferVolunteer(string ToCommunity, string RecordedBy) : IExampleRequest<TransferVolunteer>
{
    public static TransferVolunteer Example => new("taiyuan-yingze-02", "office-01");

    public sealed class Validator : AbstractValidator<TransferVolunteer>
    {
        public Validator()
        {
            RuleFor(c => c.ToCommunity).NotEmpty().Must(CommunityCode.IsValid).WithMessage("Use a community code.");
            RuleFor(c => c.RecordedBy).Recorder();
        }
    }
}

/// <summary>Where the volunteer went: their id in the new community, and the minutes and points that moved (the points award by award).</summary>
public sealed record TransferResponse(Guid FromVolunteerId, string ToCommunity, Guid NewVolunteerId, int Minutes, int Points, IReadOnlyList<AwardDraw> PointsCarried);

public static class TransferEndpoint
{
    [WolverinePost("/api/v1/communities/{community}/volunteers/{volunteerId}/transfer", Name = "TransferVolunteer")]
    [RequiresRole(PartnerRole.Recorder)]
    [Tags("Volunteers")]
    public static async Task<Results<Ok<TransferResponse>, ProblemHttpResult>> Transfer(
        string community, [NotBody] Community from, Guid volunteerId, TransferVolunteer command, HttpContext context, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var stream = await session.Events.FetchForWriting<Volunteer>(volunteerId, cancellation);
        if (stream.Aggregate is not { } volunteer) return UnknownId.Volunteer.Answer();

        // On purpose across two tenants, in one transaction: the minutes and points leave one community only by arriving in the other.
        var destination = session.ForTenant(command.ToCommunity);
        // A community the caller's key does not cover is, for the caller, not there.
        var to = Caller.Of(context)!.Key.Covers(command.ToCommunity) ? await destination.LoadCommunityAsync(command.ToCommunity, cancellation) : null;
        var decision = VolunteerTransfers.Leave(volunteer, from, to, command.ToCommunity, Guid.CreateVersion7(), command.RecordedBy, clock);
        if (decision.Rejection is { } rejection) return ProblemResponses.From(rejection);

        var left = decision.Event!;
        stream.AppendOne(left);
        destination.Events.StartStream<Volunteer>(left.NewVolunteerId, VolunteerTransfers.Arrive(left, volunteer, from, to!, clock));
        if (await session.LoadAsync<PersonalDetails>(volunteerId, cancellation) is { } details)
        {
            destination.Store(details with { Id = left.NewVolunteerId });
        }

        return TypedResults.Ok(new TransferResponse(volunteerId, to!.Code, left.NewVolunteerId, left.Minutes, left.Points, left.PointsCarried ?? []));
    }
}
