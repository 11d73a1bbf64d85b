using Marten;
using TimeBank.Api.Audit;
using TimeBank.Api.Communities;
using TimeBank.Api.Infrastructure.EventStore;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Domain.Families;
using TimeBank.Domain.TimeAccounts;
using TimeBank.Domain.Volunteers;
using Wolverine.Http;

namespace TimeBank.Api.TimeAccounts;

/// <summary>A page of an account's statement. Pass <c>nextAfter</c> as <c>after</c> for the next page; null at the end.</summary>
public sealed record StatementResponse(Guid AccountId, IReadOnlyList<StatementLine> Lines, long? NextAfter);

public static class StatementEndpoints
{
    /// <summary>A volunteer's time account statement, line by line with a running balance, a page at a time; now or as of a moment of the past.</summary>
    [WolverineGet("/api/v1/communities/{community}/volunteers/{volunteerId}/statement", Name = "GetVolunteerStatement")]
    [Tags("Time accounts")]
    public static async Task<Results<Ok<StatementResponse>, ProblemHttpResult>> OfVolunteer(
        string community, Guid volunteerId, long? after, int? limit, string? asOf, long? asOfSequence, IQuerySession session, CancellationToken cancellation)
    {
        if (AsOf.Read(asOf, asOfSequence, out var point) is { } refused) return refused;
        return await session.LoadAsync<Volunteer>(volunteerId, cancellation) is null
            ? await UnknownId.Volunteer.AnswerAsync(session, community, cancellation)
            : await Page(session, volunteerId, after, limit, point, cancellation);
    }

    /// <summary>A family member's time account statement, line by line with a running balance, a page at a time.</summary>
    [WolverineGet("/api/v1/communities/{community}/family-members/{familyMemberId}/statement", Name = "GetFamilyStatement")]
    [Tags("Time accounts")]
    public static async Task<Results<Ok<StatementResponse>, ProblemHttpResult>> OfFamilyMember(string community, Guid familyMemberId, long? after, int? limit, IQuerySession session, CancellationToken cancellation)
    {
        if (await session.LoadAsync<FamilyMember>(familyMemberId, cancellation) is not null) return await Page(session, familyMemberId, after, limit, null, cancellation);
        return await UnknownId.FamilyMember.AnswerAsync(session, community, cancellation);
    }

    /// <summary>
    /// Lines after the stream version <paramref name="after"/>. Versions never change once appended, so a page
    /// read while new entries arrive neither skips nor repeats a line. The running balance is folded from the
    /// stream's start: exact, and linear in the account's history. As of a moment of the past, only the events
    /// appended up to it are read.
    /// </summary>
    private static async Task<Results<Ok<StatementResponse>, ProblemHttpResult>> Page(IQuerySession session, Guid accountId, long? after, int? limit, AsOf? point, CancellationToken cancellation)
    {
        if (Paging.Refusal(after, limit) is { } refused) return refused;
        var size = limit ?? Paging.DefaultLimit;

        var events = point is null ? await session.Events.FetchStreamAsync(accountId, token: cancellation) : await point.StreamAsync(session, accountId, cancellation);
        var lines = Statement.Lines(TimeAccount.Empty, events.Select(e => new AccountEvent(e.Version, e.Timestamp, e.Data)))
            .Where(l => l.Version > (after ?? 0))
            .Take(size + 1)
            .ToList();
        var more = lines.Count > size;
        var page = more ? lines[..size] : lines;
        return TypedResults.Ok(new StatementResponse(accountId, page, more ? page[^1].Version : null));
    }
}
