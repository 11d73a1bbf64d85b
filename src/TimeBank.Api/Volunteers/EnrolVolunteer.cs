using FluentValidation;
using Marten;
using TimeBank.Api.Communities;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.Partners;
using TimeBank.Api.People;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Partners;
using TimeBank.Domain.Volunteers;
using Wolverine.Http;

namespace TimeBank.Api.Volunteers;

/// <summary>Enrol a volunteer ("60") in one of the community's teams.</summary>
/// <param name="Team">A team code: general-care, smartphone-tutoring, household-services, arts, or the community's own.</param>
/// <param name="EnrolledOn">The day they joined, in the community's calendar; today when left out.</param>
/// <param name="ExternalReference">The partner system's own id for the volunteer.</param>
public sealed record EnrolVolunteer(
    string Name,
    string? Phone,
    DateOnly? BirthDate,
    string Team,
    DateOnly? EnrolledOn,
    string? ExternalReference,
    string RecordedBy) : IExampleRequest<EnrolVolunteer>
{
    public static EnrolVolunteer Example => new("王秀兰", "13800000001", new DateOnly(1962, 4, 18), "general-care", ExampleIds.Day, "partner-vol-0042", "grid-01");

    public sealed class Validator : AbstractValidator<EnrolVolunteer>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(c => c.Name).PersonName();
            RuleFor(c => c.Phone).PhoneNumber();
            RuleFor(c => c.BirthDate).BirthDate(clock);
            RuleFor(c => c.Team).NotEmpty().Matches("^[a-z0-9][a-z0-9-]{0,39}$").WithMessage("Use a team code of lowercase letters, digits and hyphens.");
            RuleFor(c => c.ExternalReference).MaximumLength(64);
            RuleFor(c => c.RecordedBy).Recorder();
        }
    }
}

public static class EnrolVolunteerEndpoint
{
    [WolverinePost("/api/v1/communities/{community}/volunteers", Name = "EnrolVolunteer")]
    [RequiresRole(PartnerRole.Recorder)]
    [Tags("Volunteers")]
    public static async Task<Results<Created<VolunteerResponse>, ProblemHttpResult>> Post(
        string community, [NotBody] Community home, EnrolVolunteer command, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var volunteerId = Guid.CreateVersion7();
        var decision = VolunteerEnrolment.Decide(
            volunteerId, command.Team, command.EnrolledOn, command.ExternalReference, command.RecordedBy, home.Calendar, clock);
        if (decision.Rejection is { } rejection) return ProblemResponses.From(rejection);

        var enrolled = decision.Event!;
        session.Events.StartStream<Volunteer>(volunteerId, enrolled);
        var details = new PersonalDetails(volunteerId, PersonRole.Volunteer, command.Name, command.Phone, command.BirthDate, null);
        session.Store(details);
        return TypedResults.Created(
            $"/api/v1/communities/{community}/volunteers/{volunteerId}",
            VolunteerResponse.From(Volunteer.Started(enrolled), details));
    }
}
