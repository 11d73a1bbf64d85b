using JasperFx;
using JasperFx.Events;
using Microsoft.Extensions.Primitives;
using TimeBank.Api.Infrastructure.Telemetry;

namespace TimeBank.Api.Infrastructure.Http;

/// <summary>
/// A write that loses a race is decided again, not bounced. Every write reads what it decides on and appends
/// guarded by the versions it read; when another write committed first, saving fails and nothing of this
/// request was written. Then the whole request runs again from its first step (access, idempotency, validation,
/// the endpoint's reads and decision) on what is now recorded, so the partner gets the decision the request
/// deserves: its 201, or the refusal a later arrival earns (<c>422 insufficient-minutes</c>), or the first
/// answer to a resend under the same id. Only a request that loses <see cref="Attempts"/> times in a row is
/// answered <c>409 concurrent-change</c>, with Retry-After.
/// </summary>
public static class LostRaces
{
    /// <summary>
    /// Each loss means another write to the same streams committed; with a handful of contenders a request
    /// decides within a few attempts, and the bound keeps a hot stream from holding a request forever.
    /// </summary>
    public const int Attempts = 8;

    private static readonly object AttemptItem = new();

    /// <summary>
    /// Whether saving failed because another write changed the same streams or ids first: a stream's version
    /// moved, or a record this write inserts was inserted first by another (a request under the same
    /// Idempotency-Key, or a service or order under the same client id on another stream: DomainView).
    /// </summary>
    public static bool Is(Exception exception) => exception is EventStreamUnexpectedMaxEventIdException or ConcurrencyException
        or ExistingStreamIdCollisionException or Marten.Exceptions.ExistingStreamIdCollisionException or Marten.Exceptions.StreamLockedException
        or DocumentAlreadyExistsException;

    /// <summary>Whether this request is being run again after losing a race (its first attempt read less).</summary>
    public static bool IsRunAgain(HttpContext context) => context.Items.TryGetValue(AttemptItem, out var attempt) && attempt is int run && run > 1;

    /// <summary>Middleware around every write: runs it again while it loses, with a short random pause between.</summary>
    public static async Task DecideAgainAsync(HttpContext context, RequestDelegate next)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            await next(context);
            return;
        }

        // The body is read again by every attempt; the limits before this step have bounded its size.
        context.Request.EnableBuffering();
        var headersBefore = context.Response.Headers.ToDictionary(h => h.Key, h => h.Value);
        for (var attempt = 1; ; attempt++)
        {
            context.Items[AttemptItem] = attempt;
            try
            {
                await next(context);
                return;
            }
            catch (Exception exception) when (Is(exception) && attempt < Attempts && !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                TimeBankMetrics.RacesDecidedAgain.Add(1);
                StartOver(context, headersBefore);
                // Random, growing pauses keep the losers of one race from colliding again in lockstep.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 << Math.Min(attempt, 5))), context.RequestAborted);
            }
        }
    }

    /// <summary>What an attempt left on the response goes; the headers set before the write ran (the correlation id) stay.</summary>
    private static void StartOver(HttpContext context, Dictionary<string, StringValues> headersBefore)
    {
        context.Response.Clear();
        foreach (var (name, value) in headersBefore) context.Response.Headers[name] = value;
        context.Request.Body.Position = 0;
    }
}
