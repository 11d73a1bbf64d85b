using System.Net;
using System.Net.Http.Json;

namespace TimeBank.Chaos;

/// <summary>
/// A partner's client as the API asks it to behave: one Idempotency-Key per write, and the same request sent
/// again under it after no answer, a 5xx, a 429, a 409 with Retry-After or a lost race (concurrent-change), until an answer that settles it
/// (a 2xx, or a refusal) or until it gives up. Every attempt's status is kept; 0 is no answer.
/// </summary>
public sealed class RetryingWriter(Func<HttpClient> client, TimeSpan giveUpAfter)
{
    private HttpClient _http = client();

    public async Task<WriteOutcome> PostAsync(string path, object body)
    {
        var key = Guid.NewGuid().ToString();
        var statuses = new List<int>();
        var until = DateTime.UtcNow + giveUpAfter;
        while (true)
        {
            var status = 0;
            var retryAfter = false;
            var text = "";
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
                request.Headers.Add("Idempotency-Key", key);
                using var response = await _http.SendAsync(request);
                status = (int)response.StatusCode;
                retryAfter = response.Headers.RetryAfter is not null;
                text = await response.Content.ReadAsStringAsync();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                // The connection died with the service: a new client, so that no dead connection is reused.
                _http = client();
            }

            statuses.Add(status);
            // A lost race for the same record is answered "read it again and retry": so does this client.
            var settled = status is >= 200 and < 300
                || (status is >= 400 and < 500 && status != (int)HttpStatusCode.TooManyRequests && !(status == (int)HttpStatusCode.Conflict && retryAfter)
                    && !text.Contains("urn:timebank:problem:concurrent-change", StringComparison.Ordinal));
            if (settled) return new WriteOutcome(status, statuses, text);
            if (DateTime.UtcNow > until) return new WriteOutcome(0, statuses, "");
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }
}

/// <summary>How a write ended (its last status, 0 when it was never settled, and body), and every attempt's status.</summary>
public sealed record WriteOutcome(int Status, IReadOnlyList<int> Attempts, string Body)
{
    /// <summary>
    /// A 2xx; or the 409 that says the first request under this key was applied but its answer was lost (the
    /// service stopped between the two): the write is in the ledger either way, and the client knows it.
    /// </summary>
    public bool Acknowledged => Succeeded || (Status == 409 && Code == "idempotent-request-applied");

    /// <summary>Answered 2xx, with the result in <see cref="Body"/>.</summary>
    public bool Succeeded => Status is >= 200 and < 300;

    /// <summary>The problem's code, read from its type (<c>urn:timebank:problem:{code}</c>); null for anything else.</summary>
    public string? Code => Status >= 400 && Body.Contains("urn:timebank:problem:", StringComparison.Ordinal)
        ? Body.Split("urn:timebank:problem:")[1].Split('"')[0]
        : null;
}
