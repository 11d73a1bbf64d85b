using System.Net;
using System.Net.Http.Headers;

namespace TimeBank.Client;

/// <summary>
/// Makes every write safe to send again: each POST, PUT, PATCH or DELETE gets an <c>Idempotency-Key</c> of its
/// own (unless the caller gave one), and when the service asks to wait (429, or 409 with Retry-After while the
/// first request under the key is still being answered) the same request is sent again under the same key
/// after the time it names, so a write never lands twice. A read that gets a 429 is sent again the same way.
/// </summary>
public sealed class IdempotentWrites : DelegatingHandler
{
    public const string KeyHeader = "Idempotency-Key";

    /// <summary>How often one request waits as the service asks before its last answer is handed back as it is.</summary>
    public int MaxWaits { get; init; } = 30;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var write = request.Method != HttpMethod.Get && request.Method != HttpMethod.Head && request.Method != HttpMethod.Options;
        if (write && !request.Headers.Contains(KeyHeader)) request.Headers.Add(KeyHeader, Guid.NewGuid().ToString());
        // The body is sent again as it was the first time.
        if (request.Content is not null) await request.Content.LoadIntoBufferAsync(cancellationToken);

        var attempt = request;
        for (var wait = 0; ; wait++)
        {
            var response = await base.SendAsync(attempt, cancellationToken);
            var asksToWait = response.StatusCode == HttpStatusCode.TooManyRequests
                || (write && response.StatusCode == HttpStatusCode.Conflict && response.Headers.RetryAfter is not null);
            if (!asksToWait || wait == MaxWaits) return response;

            var delay = WaitAsked(response.Headers.RetryAfter);
            response.Dispose();
            await Task.Delay(delay, cancellationToken);
            attempt = await CopyAsync(request, cancellationToken);
        }
    }

    private static TimeSpan WaitAsked(RetryConditionHeaderValue? retryAfter)
    {
        var asked = retryAfter?.Delta ?? (retryAfter?.Date - DateTimeOffset.UtcNow);
        return asked > TimeSpan.Zero ? asked.Value : TimeSpan.FromSeconds(1);
    }

    /// <summary>A message is sent once; its copy carries the same method, address, headers (the key too) and body.</summary>
    private static async Task<HttpRequestMessage> CopyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version, VersionPolicy = request.VersionPolicy };
        foreach (var header in request.Headers) copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        foreach (var option in request.Options) ((IDictionary<string, object?>)copy.Options)[option.Key] = option.Value;
        if (request.Content is not null)
        {
            copy.Content = new ByteArrayContent(await request.Content.ReadAsByteArrayAsync(cancellationToken));
            foreach (var header in request.Content.Headers) copy.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return copy;
    }
}
