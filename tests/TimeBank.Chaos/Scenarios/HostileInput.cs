using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using TimeBank.Harness;

namespace TimeBank.Chaos.Scenarios;

/// <summary>
/// The hostile corpus over every endpoint the service's OpenAPI document lists: every write gets its example
/// body broken field by field and bodies that are not JSON, plus a 10 MB body; every read gets hostile path and
/// query values; ids of another community stand in for this one's. Each answer must be a 2xx or a 4xx problem,
/// never a 5xx, and only requests answered 2xx may have written events (each request carries a correlation id
/// of its own, which its events keep).
/// </summary>
public static class HostileInput
{
    private const string CorrelationPrefix = "hostile-";

    public static async Task<ScenarioResult> RunAsync(ChaosRun run)
    {
        var home = await run.Ledger.NewCommunityAsync("chaos-hostile", 2, run.OpenQuarterStart);
        var other = await run.Ledger.NewCommunityAsync("chaos-other", 1, run.OpenQuarterStart);
        var (stationId, items) = await run.Ledger.OpenStationAsync(home.Code, items: 1, stock: 10);
        var openApi = await run.Ledger.GetAsync("/openapi/v1.json");
        var requests = new List<(string Method, string Path, byte[]? Body)>();
        foreach (var (template, operations) in openApi["paths"]!.AsObject())
        {
            foreach (var (method, operation) in operations!.AsObject())
            {
                var parameters = operation!["parameters"]?.AsArray().Select(p => (Name: p!["name"]!.GetValue<string>(), In: p["in"]!.GetValue<string>())).ToList() ?? [];
                var path = Fill(template, home, other: null, stationId, items[0]);
                if (method == "post")
                {
                    var example = operation["requestBody"]?["content"]?["application/json"]?["example"] as JsonObject;
                    requests.AddRange(HostileCorpus.BodiesFrom(example).Select(body => ("POST", path, (byte[]?)body)));
                    requests.Add(("POST", path, Encoding.UTF8.GetBytes($"{{\"recordedBy\":\"{new string('x', 10 * 1024 * 1024)}\"}}")));
                    if (example is not null)
                    {
                        // The valid example, sent to the other community's ids in this one's URL.
                        requests.Add(("POST", Fill(template, home, other, stationId, items[0]), Encoding.UTF8.GetBytes(example.ToJsonString())));
                    }
                }
                else
                {
                    requests.Add(("GET", Fill(template, home, other, stationId, items[0]), null));
                    foreach (var (name, _) in parameters.Where(p => p.In == "path" && p.Name != "community"))
                    {
                        foreach (var value in new[] { "not-a-guid", "..%2F..%2Fetc%2Fpasswd", new string('9', 400), "00000000-0000-0000-0000-000000000000" })
                        {
                            requests.Add(("GET", Fill(template.Replace($"{{{name}}}", value, StringComparison.Ordinal), home, null, stationId, items[0]), null));
                        }
                    }

                    foreach (var (name, _) in parameters.Where(p => p.In == "query"))
                    {
                        requests.AddRange(HostileCorpus.QueryValues.Select(value => ("GET", $"{path}?{name}={Uri.EscapeDataString(value)}", (byte[]?)null)));
                    }
                }
            }
        }

        var answers = new ConcurrentBag<(int Index, string Method, string Path, int Status, string? Type, string Body)>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            using var http = run.NewClient();
            for (var i = Interlocked.Increment(ref next); i < requests.Count; i = Interlocked.Increment(ref next))
            {
                var (method, path, body) = requests[i];
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (body is not null)
                {
                    request.Content = new ByteArrayContent(body);
                    request.Content.Headers.ContentType = new("application/json");
                }

                request.Headers.Add("X-Correlation-Id", $"{CorrelationPrefix}{run.Ledger.RunId}-{i}");
                request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
                try
                {
                    using var response = await http.SendAsync(request);
                    var text = await response.Content.ReadAsStringAsync();
                    answers.Add((i, method, path, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, text));
                }
                catch (HttpRequestException e)
                {
                    answers.Add((i, method, path, 0, null, e.Message));
                }
            }
        })));

        var failures = new List<string>();
        var serverErrors = answers.Where(a => a.Status >= 500).ToList();
        foreach (var error in serverErrors.Take(5)) failures.Add($"{error.Method} {Short(error.Path)} answered {error.Status}: {Short(error.Body)}");
        var notProblems = answers.Where(a => a.Status is >= 400 and < 500 && a.Type != "application/problem+json").ToList();
        foreach (var answer in notProblems.Take(5)) failures.Add($"{answer.Method} {Short(answer.Path)} answered {answer.Status} as {answer.Type ?? "nothing"}");
        var unanswered = answers.Count(a => a.Status == 0 && requests[a.Index].Body is not { Length: > 1024 * 1024 });
        if (unanswered > 0) failures.Add($"{unanswered} requests got no answer");

        var succeeded = answers.Where(a => a.Status is >= 200 and < 300).Select(a => $"{CorrelationPrefix}{run.Ledger.RunId}-{a.Index}").ToHashSet();
        var written = await LedgerCheck.EventsByCorrelationAsync(run.ConnectionString, $"{CorrelationPrefix}{run.Ledger.RunId}-");
        var writtenByRefused = written.Keys.Where(id => !succeeded.Contains(id)).ToList();
        if (writtenByRefused.Count > 0) failures.Add($"{writtenByRefused.Count} refused requests wrote events, e.g. request {writtenByRefused[0]}");

        return new ScenarioResult(
            "Hostile input over every endpoint",
            answers.Count,
            $"{requests.Count:#,0} hostile requests over {openApi["paths"]!.AsObject().Count} paths",
            answers.Count(a => a.Method == "POST" && a.Status is >= 200 and < 300),
            null,
            0,
            0,
            serverErrors.Count,
            failures,
            $"{answers.Count(a => a.Status is >= 400 and < 500):#,0} answered 4xx problem+json, {succeeded.Count} were valid and answered 2xx; the {written.Values.Sum()} events written all came from those");
    }

    /// <summary>The URL of a path template, its ids those of the home community's people, or of the other community's where given.</summary>
    private static string Fill(string template, RunCommunity home, RunCommunity? other, Guid stationId, Guid itemId)
    {
        var people = (other ?? home).People[0];
        return string.Join('/', template
            .Replace("{community}", home.Code, StringComparison.Ordinal)
            .Replace("{county}", "chaos-county", StringComparison.Ordinal)
            .Replace("{quarter}", "2026Q3", StringComparison.Ordinal)
            .Replace("{volunteerId}", people.Volunteer.ToString(), StringComparison.Ordinal)
            .Replace("{elderId}", people.Elder.ToString(), StringComparison.Ordinal)
            .Replace("{personId}", people.Volunteer.ToString(), StringComparison.Ordinal)
            .Replace("{stationId}", stationId.ToString(), StringComparison.Ordinal)
            .Replace("{itemId}", itemId.ToString(), StringComparison.Ordinal)
            .Split('/').Select(segment => segment.StartsWith('{') ? Guid.NewGuid().ToString() : segment));
    }

    private static string Short(string text) => text[..Math.Min(200, text.Length)];
}
