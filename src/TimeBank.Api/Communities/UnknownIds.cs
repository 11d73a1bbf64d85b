using Marten;
using TimeBank.Api.Infrastructure.Http;

namespace TimeBank.Api.Communities;

/// <summary>
/// The one 404 answer for each kind of id a request names within a community, whichever module reads it. The
/// community itself unknown is answered as such; an id of another community is answered as unknown here, so no
/// answer reveals that it exists elsewhere.
/// </summary>
public static class UnknownIds
{
    public static Task<ProblemHttpResult> VolunteerAsync(IQuerySession session, string community, CancellationToken cancellation) =>
        NotFoundInAsync(session, community, "unknown-volunteer", "No volunteer with this id is enrolled in this community.", cancellation);

    public static Task<ProblemHttpResult> ElderAsync(IQuerySession session, string community, CancellationToken cancellation) =>
        NotFoundInAsync(session, community, "unknown-elder", "No elder with this id is registered in this community.", cancellation);

    public static Task<ProblemHttpResult> FamilyMemberAsync(IQuerySession session, string community, CancellationToken cancellation) =>
        NotFoundInAsync(session, community, "unknown-family-member", "No family member with this id in this community.", cancellation);

    public static Task<ProblemHttpResult> GridWorkerAsync(IQuerySession session, string community, CancellationToken cancellation) =>
        NotFoundInAsync(session, community, "unknown-grid-worker", "No grid worker with this id in this community.", cancellation);

    public static Task<ProblemHttpResult> PairingAsync(IQuerySession session, string community, CancellationToken cancellation) =>
        NotFoundInAsync(session, community, "unknown-pairing", "No pairing with this id in this community.", cancellation);

    public static Task<ProblemHttpResult> ServiceAsync(IQuerySession session, string community, CancellationToken cancellation) =>
        NotFoundInAsync(session, community, "unknown-service", "No service with this id is recorded in this community.", cancellation);

    public static Task<ProblemHttpResult> TimeSavingsRequestAsync(IQuerySession session, string community, CancellationToken cancellation) =>
        NotFoundInAsync(session, community, "unknown-request", "No time-savings request with this id in this community.", cancellation);

    public static Task<ProblemHttpResult> StationAsync(IQuerySession session, string community, CancellationToken cancellation) =>
        NotFoundInAsync(session, community, "unknown-station", "No station with this id in this community.", cancellation);

    public static Task<ProblemHttpResult> OrderAsync(IQuerySession session, string community, CancellationToken cancellation) =>
        NotFoundInAsync(session, community, "unknown-order", "No order with this id at this station.", cancellation);

    private static async Task<ProblemHttpResult> NotFoundInAsync(IQuerySession session, string community, string code, string detail, CancellationToken cancellation) =>
        await session.LoadCommunityAsync(community, cancellation) is null
            ? ProblemResponses.CommunityNotFound(community)
            : ProblemResponses.NotFound(code, detail);
}
