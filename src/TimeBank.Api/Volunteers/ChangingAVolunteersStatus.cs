using FluentValidation;
using JasperFx.Events;
using Marten;
using TimeBank.Api.Communities;
using TimeBank.Api.Infrastructure.EventStore;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.Partners;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Partners;
using TimeBank.Domain.Shared;
using TimeBank.Domain.Volunteers;
using Wolverine.Http;

namespace TimeBank.Api.Volunteers;

/// <summary>Pause a volunteer for a while (illness, travel, family duties).</summary>
public sealed record PauseVolunteer(PauseReason? Reason, string RecordedBy) : IExampleRequest<PauseVolunteer>
{
    public static PauseVolunteer Example => new(PauseReason.Health, "grid-01");

    public sealed class Validator : AbstractValidator<PauseVolunteer>
    {
        public Validator()
        {
            RuleFor(c => c.Reason).NotNull().IsInEnum();
            RuleFor(c => c.RecordedBy).Recorder();
        }
    }
}

/// <summary>A paused volunteer serves again.</summary>
public sealed record ResumeVolunteer(string RecordedBy) : IExampleRequest<ResumeVolunteer>
{
    public static ResumeVolunteer Example => new("grid-01");

    public sealed class Validator : AbstractValidator<ResumeVolunteer>
    {
        public Validator() => RuleFor(c => c.RecordedBy).Recorder();
    }
}

/// <summary>A volunteer leaves the time bank on a day (today when left out); services after it are refused.</summary>
public sealed record RecordDeparture(DateOnly? LeftOn, LeavingReason? Reason, string RecordedBy) : IExampleRequest<RecordDeparture>
{
    public static RecordDeparture Example => new(ExampleIds.Day, LeavingReason.MovedAway, "grid-01");

    public sealed class Validator : AbstractValidator<RecordDeparture>
    {
        public Validator()
        {
            RuleFor(c => c.Reason).NotNull().IsInEnum();
            RuleFor(c => c.RecordedBy).Recorder();
        }
    }
}

public static class VolunteerStatusEndpoints
{
    [WolverinePost("/api/v1/communities/{community}/volunteers/{volunteerId}/pause", Name = "PauseVolunteer")]
    [VersionedResource]
    [RequiresRole(PartnerRole.Recorder)]
    [Tags("Volunteers")]
    public static Task<Results<Ok<VolunteerStanding>, ProblemHttpResult>> Pause([NotBody] Community home, Guid volunteerId, PauseVolunteer command, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken cancellation) =>
        Change(session, context, home, volunteerId, cancellation, (volunteer, _) => VolunteerStatusChanges.Pause(volunteer, command.Reason!.Value, command.RecordedBy, clock));

    [WolverinePost("/api/v1/communities/{community}/volunteers/{volunteerId}/resume", Name = "ResumeVolunteer")]

    [VersionedResource]
    [RequiresRole(PartnerRole.Recorder)]
    [Tags("Volunteers")]
    public static Task<Results<Ok<VolunteerStanding>, ProblemHttpResult>> Resume([NotBody] Community home, Guid volunteerId, ResumeVolunteer command, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken cancellation) =>
        Change(session, context, home, volunteerId, cancellation, (volunteer, _) => VolunteerStatusChanges.Resume(volunteer, command.RecordedBy, clock));

    [WolverinePost("/api/v1/communities/{community}/volunteers/{volunteerId}/departure", Name = "RecordDeparture")]

    [VersionedResource]
    [RequiresRole(PartnerRole.Recorder)]
    [Tags("Volunteers")]
    public static Task<Results<Ok<VolunteerStanding>, ProblemHttpResult>> Leave([NotBody] Community home, Guid volunteerId, RecordDeparture command, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken cancellation) =>
        Change(session, context, home, volunteerId, cancellation, (volunteer, calendar) =>
            VolunteerStatusChanges.Leave(volunteer, command.LeftOn, command.Reason!.Value, command.RecordedBy, calendar, clock));

    /// <summary>
    /// Load the volunteer for writing, decide, append, and answer with their new standing and the version of
    /// their stream; with If-Match, only if the stream is still at that version.
    /// </summary>
    private static Task<Results<Ok<VolunteerStanding>, ProblemHttpResult>> Change<TEvent>(
        IDocumentSession session, HttpContext context, Community home, Guid volunteerId, CancellationToken cancellation, Func<Volunteer, CommunityCalendar, Decision<TEvent>> decide)
        where TEvent : class =>
        StreamChanges.ChangeAsync(
            context, session, volunteerId, () => Task.FromResult(UnknownId.Volunteer.Answer()), (Volunteer volunteer) => decide(volunteer, home.Calendar),
            after => new VolunteerStanding(after.Id, after.Status, after.LeftOn), cancellation);
}

/// <summary>A volunteer's status after a change.</summary>
public sealed record VolunteerStanding(Guid VolunteerId, VolunteerStatus Status, DateOnly? LeftOn);
