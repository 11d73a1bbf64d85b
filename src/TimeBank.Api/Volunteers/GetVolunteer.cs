using Marten;
using TimeBank.Api.Audit;
using TimeBank.Api.Communities;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.People;
using TimeBank.Domain.Volunteers;
using Wolverine.Http;

namespace TimeBank.Api.Volunteers;

/// <summary>
/// A volunteer as the API shows them: their personal details (null once erased) with their standing in the
/// time bank, which erasure does not touch.
/// </summary>
public sealed record VolunteerResponse(
    Guid Id,
    string? Name,
    string? Phone,
    DateOnly? BirthDate,
    string Team,
    DateOnly EnrolledOn,
    VolunteerStatus Status,
    string? ExternalReference,
    bool PersonalDataErased)
{
    public static VolunteerResponse From(Volunteer volunteer, PersonalDetails? details) =>
        new(volunteer.Id, details?.Name, details?.Phone, details?.BirthDate, volunteer.Team, volunteer.EnrolledOn, volunteer.Status, volunteer.ExternalReference, details is null);
}

/// <summary>
/// A volunteer's time account in whole minutes: deposited by services, reversed by corrections, spent on
/// services for themselves, held for a requested service, given to and received from family accounts,
/// brought from or taken to another community.
/// The balance is what is banked; available is the balance less what is on hold.
/// </summary>
public sealed record TimeAccountResponse(
    Guid VolunteerId,
    int Deposited,
    int Reversed,
    int Spent,
    int Held,
    int Given,
    int Received,
    int TransferredIn,
    int TransferredOut,
    int Balance,
    int Available,
    int ServicesRecorded)
{
    public static TimeAccountResponse From(Volunteer volunteer)
    {
        var a = volunteer.Account;
        return new(volunteer.Id, a.Deposited, a.Reversed, a.Spent, a.Held, a.Given, a.Received, a.TransferredIn, a.TransferredOut, a.Balance, a.Available, volunteer.ServicesRecorded);
    }
}

public static class GetVolunteerEndpoints
{
    /// <summary>A volunteer as enrolled (personal data included until erased); answers the volunteer's stream version as the ETag.</summary>
    [WolverineGet("/api/v1/communities/{community}/volunteers/{volunteerId}", Name = "GetVolunteer")]
    [VersionedResource]
    [Tags("Volunteers")]
    public static async Task<Results<Ok<VolunteerResponse>, ProblemHttpResult>> GetVolunteer(string community, Guid volunteerId, IQuerySession session, HttpContext context, CancellationToken cancellation)
    {
        var volunteer = await session.LoadAsync<Volunteer>(volunteerId, cancellation);
        var details = await session.LoadAsync<PersonalDetails>(volunteerId, cancellation);
        if (volunteer is null) return await UnknownId.Volunteer.AnswerAsync(session, community, cancellation);
        await StreamVersions.TagAsync(context, session, volunteerId, cancellation);
        return TypedResults.Ok(VolunteerResponse.From(volunteer, details));
    }

    /// <summary>The time account now, or as it stood at a moment of the ledger's past (<c>asOf</c> time or <c>asOfSequence</c>).</summary>
    [WolverineGet("/api/v1/communities/{community}/volunteers/{volunteerId}/time-account", Name = "GetTimeAccount")]
    [Tags("Volunteers")]
    public static async Task<Results<Ok<TimeAccountResponse>, ProblemHttpResult>> GetTimeAccount(
        string community, Guid volunteerId, string? asOf, long? asOfSequence, IQuerySession session, CancellationToken cancellation)
    {
        if (AsOf.Read(asOf, asOfSequence, out var point) is { } refused) return refused;
        var volunteer = await VolunteerHistory.AsOfAsync(session, volunteerId, point, cancellation);
        if (volunteer is null) return await UnknownId.Volunteer.AnswerAsync(session, community, cancellation);
        return TypedResults.Ok(TimeAccountResponse.From(volunteer));
    }


}
