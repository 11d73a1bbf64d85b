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

    /// <summary>Kestrel's own limits: the body size, and protection from clients that send headers or a body too slowly.</summary>
    public static void Apply(KestrelServerOptions kestrel)
    {
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxRequestBodySize = MaxBodyBytes;
        kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
        kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
        kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(60);
        // A body trickling in slower than 240 bytes a second (after a 5 s grace) is cut off, so slow clients cannot hold connections.
        kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(5));
        kestrel.Limits.MinResponseDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(5));
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
}
