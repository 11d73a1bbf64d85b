using Marten;
using TimeBank.Api.Infrastructure.Http;

namespace TimeBank.Api.Communities;

/// <summary>
/// The one 404 answer for each kind of id a request names within a community, whichever module reads it. The
/// community itself unknown is answered as such; an id of another community is answered as unknown here, so no
/// answer reveals that it exists elsewhere.
/// </summary>
public sealed record UnknownId(string Code, string Detail)
{
    public static readonly UnknownId Volunteer = new("unknown-volunteer", "No volunteer with this id is enrolled in this community.");
    public static readonly UnknownId Elder = new("unknown-elder", "No elder with this id is registered in this community.");
    public static readonly UnknownId FamilyMember = new("unknown-family-member", "No family member with this id in this community.");
    public static readonly UnknownId GridWorker = new("unknown-grid-worker", "No grid worker with this id in this community.");
    public static readonly UnknownId Pairing = new("unknown-pairing", "No pairing with this id in this community.");
    public static readonly UnknownId Service = new("unknown-service", "No service with this id is recorded in this community.");
    public static readonly UnknownId TimeSavingsRequest = new("unknown-request", "No time-savings request with this id in this community.");
    public static readonly UnknownId Station = new("unknown-station", "No station with this id in this community.");
    public static readonly UnknownId Order = new("unknown-order", "No order with this id at this station.");

    /// <summary>A county no community belongs to (the county's totals and its reports).</summary>
    public static Domain.Shared.Rejection County(string county) =>
        Domain.Shared.Rejection.NotFound("unknown-county", "county", $"No community belongs to county '{county}'.");

    /// <summary>The answer where the community is not known to exist (an endpoint that does not take it).</summary>
    public async Task<ProblemHttpResult> AnswerAsync(IQuerySession session, string community, CancellationToken cancellation) =>
        await session.LoadCommunityAsync(community, cancellation) is null ? ProblemResponses.CommunityNotFound(community) : Answer();

    /// <summary>The answer in a community read before the endpoint (CommunityLoadingPolicy).</summary>
    public ProblemHttpResult Answer() => ProblemResponses.NotFound(Code, Detail);
}
