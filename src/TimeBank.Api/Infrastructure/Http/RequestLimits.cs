using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace TimeBank.Api.Infrastructure.Http;

/// <summary>
/// What one request may cost: its body's size, its JSON's depth, and how slowly a client may send it. The
/// largest legitimate body is a batch of 5,000 services (about 1.5 MB).
/// </summary>
public static class RequestLimits
{
    public const long MaxBodyBytes = 4 * 1024 * 1024;
    public const int MaxJsonDepth = 16;

    /// <summary>The longest path and query the service reads; no endpoint needs more than a few hundred characters.</summary>
    public const int MaxTargetLength = 8 * 1024;

    public const int MaxHeadersBytes = 32 * 1024;

    public static readonly TimeSpan HeadersTimeout = TimeSpan.FromSeconds(10);

    public const int MinBytesPerSecond = 240;

    /// <summary>Kestrel's own limits: the body size, and protection from clients that send headers or a body too slowly.</summary>
    public static void Apply(KestrelServerOptions kestrel)
    {
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxRequestBodySize = MaxBodyBytes;
        kestrel.Limits.MaxRequestHeadersTotalSize = MaxHeadersBytes;
        // Kestrel answers a request line over its limit with a bare 414 before the service sees it; with room up to
        // 1 MB, the service refuses anything past MaxTargetLength itself, with a problem (RefuseOverlongTargetsAsync).
        // What Kestrel still answers by itself (past 1 MB, a %00, headers over their limit) ServerRefusals gives a problem.
        kestrel.Limits.MaxRequestLineSize = 1024 * 1024;
        kestrel.Limits.RequestHeadersTimeout = HeadersTimeout;
        kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(60);
        // A body trickling in slower than 240 bytes a second (after a 5 s grace) is cut off, so slow clients cannot hold connections.
        kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: MinBytesPerSecond, gracePeriod: TimeSpan.FromSeconds(5));
        kestrel.Limits.MinResponseDataRate = new MinDataRate(bytesPerSecond: MinBytesPerSecond, gracePeriod: TimeSpan.FromSeconds(5));
        ServerRefusals.Apply(kestrel);
    }

    /// <summary>
    /// Refuses a body that says it is larger than the limit with a 413 problem, before anything reads it
    /// (Kestrel also stops one that grows past it without saying so).
    /// </summary>
    public static async Task RefuseOversizedBodiesAsync(HttpContext context, Func<Task> next)
    {
        if (context.Request.ContentLength is > MaxBodyBytes)
        {
            await ProblemResponses.Problem(StatusCodes.Status413PayloadTooLarge, "body-too-large", "The request body is too large.",
                $"Send at most {MaxBodyBytes / (1024 * 1024)} MB; for many services use batches of at most 5,000.").ExecuteAsync(context);
            return;
        }

        await next();
    }

    /// <summary>Refuses a path and query longer than <see cref="MaxTargetLength"/> with a 414 problem.</summary>
    public static async Task RefuseOverlongTargetsAsync(HttpContext context, Func<Task> next)
    {
        if (context.Request.Path.Value?.Length + context.Request.QueryString.Value?.Length > MaxTargetLength)
        {
            await ProblemResponses.Problem(StatusCodes.Status414UriTooLong, "uri-too-long", "The request's path and query are too long.",
                $"Send at most {MaxTargetLength / 1024} KB of path and query.").ExecuteAsync(context);
            return;
        }

        await next();
    }
}
