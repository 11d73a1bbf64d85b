using System.Globalization;
using JasperFx.Events;
using Marten;

namespace TimeBank.Api.Infrastructure.Http;

/// <summary>
/// Optimistic concurrency over HTTP: a resource kept on one stream answers its stream version as its
/// <c>ETag</c> (<c>"7"</c>); a change sent with <c>If-Match: "7"</c> is made only if the stream is still at
/// version 7, else it answers 412 and writes nothing. Without If-Match a change applies to the latest version
/// (and still fails with 409 if another change lands between reading and writing).
/// </summary>
public static class StreamVersions
{
    public static string ETagOf(long version) => string.Create(CultureInfo.InvariantCulture, $"\"{version}\"");

    public static void Tag(HttpContext context, long version) => context.Response.Headers.ETag = ETagOf(version);

    /// <summary>Tags a read with the version of the stream it was read from.</summary>
    public static async Task TagAsync(HttpContext context, IQuerySession session, Guid streamId, CancellationToken cancellation)
    {
        if (await session.Events.FetchStreamStateAsync(streamId, cancellation) is { } state) Tag(context, state.Version);
    }

    /// <summary>Tags a change with the version its stream has once the change is appended.</summary>
    public static void TagAfterAppend<T>(HttpContext context, IEventStream<T> stream)
        where T : class => Tag(context, (stream.StartingVersion ?? 0) + stream.Events.Count);

    /// <summary>The refusal of a change whose If-Match is not the stream's version (or cannot be read); null when it may go on.</summary>
    public static ProblemHttpResult? Refusal<T>(HttpContext context, IEventStream<T> stream)
        where T : class
    {
        var ifMatch = context.Request.Headers.IfMatch.FirstOrDefault();
        if (string.IsNullOrEmpty(ifMatch) || ifMatch == "*") return null;

        var text = ifMatch.StartsWith("W/", StringComparison.Ordinal) ? ifMatch[2..] : ifMatch;
        if (text.Length < 3 || text[0] != '"' || text[^1] != '"' || !long.TryParse(text[1..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var expected))
        {
            return ProblemResponses.Validation("If-Match", "Send the ETag you read, e.g. \"7\".");
        }

        var current = stream.StartingVersion ?? 0;
        if (expected == current) return null;
        Tag(context, current);
        return ProblemResponses.Problem(StatusCodes.Status412PreconditionFailed, "stale-version", "Changed since you read it.",
            $"You read version {expected}; it is now at version {current}. Read it again, then decide again.");
    }
}
