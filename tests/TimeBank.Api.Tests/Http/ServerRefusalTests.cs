using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using TimeBank.Api.Tests.Operations;
using TimeBank.Harness;

namespace TimeBank.Api.Tests.Http;

/// <summary>
/// What Kestrel answers by itself, before any code of the service runs, is a problem like every other refusal,
/// and the service's log says what the client got. The in-process test server has no Kestrel, so these talk raw
/// HTTP over a socket to the built service, run as its own process on 127.0.0.1.
/// </summary>
[NonParallelizable]
public class ServerRefusalTests
{
    private Process? _service;
    private int _port;
    private string _key = "";
    private readonly ConcurrentQueue<string> _log = new();

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _port = ThrowawayPostgres.FreePort();
        var settings = TestHost.ServiceSettings(await TestHost.FreshDatabaseAsync(null, "_test_kestrel"));
        var issued = await BuiltService.RunAsync(settings, "keys", "issue", "--partner", "refusals", "--roles", "admin,recorder", "--communities", "*", "--rps", "100");
        _key = issued.Output.Split('\n').Select(l => l.Trim()).Last(l => l.StartsWith("tb_", StringComparison.Ordinal));
        _service = BuiltService.Start(new Dictionary<string, string>(settings) { ["ASPNETCORE_ENVIRONMENT"] = "Production" }, "--urls", $"http://127.0.0.1:{_port}");
        _service.OutputDataReceived += (_, e) => _log.Enqueue(e.Data ?? "");
        _service.ErrorDataReceived += (_, e) => _log.Enqueue(e.Data ?? "");
        _service.BeginOutputReadLine();
        _service.BeginErrorReadLine();
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < until && !_service.HasExited)
        {
            try
            {
                if ((await Send("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")).StartsWith("HTTP/1.1 200", StringComparison.Ordinal)) return;
            }
            catch (SocketException) { /* not listening yet */ }

            await Task.Delay(250);
        }

        Assert.Fail($"The service did not start: {string.Join('\n', _log)}");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_service is null) return;
        if (!_service.HasExited)
        {
            _service.Kill(entireProcessTree: true);
            await _service.WaitForExitAsync();
        }

        _service.Dispose();
    }

    /// <summary>Sends <paramref name="request"/> as it is and reads until the server closes the connection.</summary>
    private async Task<string> Send(string request, byte[]? body = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", _port);
        var stream = client.GetStream();
        stream.ReadTimeout = 15_000;
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        if (body is not null)
        {
            try
            {
                await stream.WriteAsync(body);
            }
            catch (IOException) { /* the server refused the rest and closed: its answer is read below */ }
        }

        using var answer = new MemoryStream();
        try
        {
            await stream.CopyToAsync(answer);
        }
        catch (IOException) { /* reset after the answer */ }

        return Encoding.UTF8.GetString(answer.ToArray());
    }

    private static (int Status, Dictionary<string, string> Headers, string Body) Parse(string response)
    {
        var end = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.That(end, Is.GreaterThan(0), $"no answer: '{response}'");
        var lines = response[..end].Split("\r\n");
        var headers = lines.Skip(1).Select(l => l.Split(": ", 2)).ToDictionary(h => h[0], h => h[1], StringComparer.OrdinalIgnoreCase);
        return (int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), headers, response[(end + 4)..]);
    }

    private static string Target(int queryBytes) => "/api/v1/communities/minle/volunteers?after=" + new string('1', queryBytes);

    [TestCase("GET /api/v1/communities/%00/volunteers HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400, "bad-request", TestName = "a_nul_in_the_path_is_a_400_problem")]
    [TestCase("GET /api/v1/communities/minle/volunteers HTTP/1.7\r\nHost: 127.0.0.1\r\n\r\n", 505, "http-version-not-supported", TestName = "an_unknown_http_version_is_a_505_problem")]
    [TestCase("GET {0} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 414, "uri-too-long", TestName = "a_request_line_over_a_megabyte_is_a_414_problem")]
    [TestCase("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: {1}\r\n\r\n", 431, "request-headers-too-large", TestName = "headers_over_32_kb_are_a_431_problem")]
    public async Task what_kestrel_refuses_by_itself_is_a_problem_and_logged(string request, int status, string code)
    {
        var sent = request.Replace("{0}", Target(1100 * 1024), StringComparison.Ordinal).Replace("{1}", new string('x', 40 * 1024), StringComparison.Ordinal);

        var (answered, headers, body) = Parse(await Send(sent));

        Assert.That(answered, Is.EqualTo(status));
        Assert.That(headers["Content-Type"], Is.EqualTo("application/problem+json"));
        Assert.That(int.Parse(headers["Content-Length"], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(Encoding.UTF8.GetByteCount(body)));
        var problem = JsonNode.Parse(body)!.AsObject();
        Assert.That((problem["type"]!.GetValue<string>(), problem["code"]!.GetValue<string>(), problem["status"]!.GetValue<int>()),
            Is.EqualTo(($"urn:timebank:problem:{code}", code, status)));
        var traceId = problem["traceId"]!.GetValue<string>();
        Assert.That(traceId, Does.Match("^00-[0-9a-f]{32}-[0-9a-f]{16}-00$"));
        // The service writes its log line as it answers; the output reaches this process a moment later.
        var logged = $"answered {status} {code} (trace {traceId})";
        for (var wait = 0; wait < 50 && !_log.Any(l => l.Contains(logged, StringComparison.Ordinal)); wait++) await Task.Delay(100);
        Assert.That(_log, Has.Some.Contains(logged), "the log does not say what the client got");
    }

    [Test]
    public async Task a_query_of_a_hundred_kilobytes_is_a_414_problem_from_the_service()
    {
        var (status, headers, body) = Parse(await Send($"GET {Target(100 * 1024)} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));

        Assert.That((status, headers["Content-Type"]), Is.EqualTo((414, "application/problem+json")));
        Assert.That(JsonNode.Parse(Dechunk(body))!["code"]!.GetValue<string>(), Is.EqualTo("uri-too-long"));
    }

    [Test]
    public async Task a_chunked_body_past_the_limit_is_a_413_problem()
    {
        var json = Encoding.UTF8.GetBytes("{\"name\":\"" + new string('x', 5 * 1024 * 1024) + "\"}");
        var chunked = Encoding.ASCII.GetBytes($"{json.Length:x}\r\n").Concat(json).Concat(Encoding.ASCII.GetBytes("\r\n0\r\n\r\n")).ToArray();

        var (status, headers, body) = Parse(await Send(
            $"POST /api/v1/communities/minle/volunteers HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nX-Api-Key: {_key}\r\n\r\n", chunked));

        Assert.That((status, headers["Content-Type"]), Is.EqualTo((413, "application/problem+json")));
        Assert.That(JsonNode.Parse(Dechunk(body))!["code"]!.GetValue<string>(), Is.EqualTo("body-too-large"));
    }

    /// <summary>Answers the service writes itself pass through untouched, two on one connection.</summary>
    [Test]
    public async Task ordinary_answers_pass_through_on_a_kept_alive_connection()
    {
        var response = await Send("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /api/v1/communities/nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

        var second = response.IndexOf("HTTP/1.1 ", 1, StringComparison.Ordinal);
        Assert.That(second, Is.GreaterThan(0), response);
        var (live, _, _) = Parse(response[..second]);
        var (refused, headers, body) = Parse(response[second..]);
        Assert.That((live, refused, headers["Content-Type"]), Is.EqualTo((200, 401, "application/problem+json")));
        Assert.That(JsonNode.Parse(Dechunk(body))!["code"]!.GetValue<string>(), Is.EqualTo("missing-api-key"));
    }

    /// <summary>The body of a chunked answer, its chunks joined.</summary>
    private static string Dechunk(string body)
    {
        var text = new StringBuilder();
        for (var at = 0; ;)
        {
            var line = body.IndexOf("\r\n", at, StringComparison.Ordinal);
            var size = Convert.ToInt32(body[at..line], 16);
            if (size == 0) return text.ToString();
            text.Append(body, line + 2, size);
            at = line + 2 + size + 2;
        }
    }
}
