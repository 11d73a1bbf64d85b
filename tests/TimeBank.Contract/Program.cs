using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using TimeBank.Client;
using TimeBank.Harness;
using TimeBank.Samples.ADayAtACommunity;

// The Contract target: the built service on 127.0.0.1, `prism proxy --errors` in front of it validating every
// request and answer against the OpenAPI document as a gateway would, the day-at-a-community sample and a set
// of representative calls through it; then the same through a proxy that only logs, so every request reaches
// the service and every answer is checked too. Every violation Prism finds is reported
// (.timebank/contract/contract.md), exit 1 if any.
const string usage = "Usage: TimeBank.Contract --db <connection string> --service <TimeBank.Api.dll> --prism <prism> --document <v1.json> --out <folder>";
var options = args.Chunk(2).Where(pair => pair.Length == 2).ToDictionary(pair => pair[0], pair => pair[1]);
if (!new[] { "--db", "--service", "--prism", "--document", "--out" }.All(options.ContainsKey))
{
    Console.Error.WriteLine(usage);
    return 2;
}

var folder = Directory.CreateDirectory(options["--out"]).FullName;
await using var service = new ServiceProcess(options["--service"], options["--db"], FreePort(), Path.Combine(folder, "service.log"));
await service.StartAsync(TimeSpan.FromSeconds(90));
var admin = await service.IssueKeyAsync("contract-admin", "admin", 2000);
var recorder = await service.IssueKeyAsync("contract-recorder", "recorder", 2000);
var slow = await service.IssueKeyAsync("contract-slow", "admin", 1);

await using var prism = await PrismProxy.StartAsync(options["--prism"], options["--document"], service.BaseAddress, FreePort(), Path.Combine(folder, "prism.log"));
var findings = new List<(string Call, int Status, IReadOnlyList<string> Violations)>();

// The day's sample, as a partner runs it, through the proxy.
var dayCode = $"contract-day-{DateTime.UtcNow:yyyyMMddHHmmss}";
string dayOutcome;
IReadOnlyList<string> dayRefusal = [];
try
{
    await new ADayAtACommunity(TimeBankClients.For(prism.BaseAddress, admin), TextWriter.Null).RunAsync(dayCode, DateTimeOffset.Now);
    dayOutcome = "ran to its end";
}
catch (TimeBank.Client.Generated.Models.Problem problem)
{
    dayOutcome = $"stopped at a {problem.ResponseStatusCode} ({problem.Code ?? problem.Title})";
    dayRefusal = PrismProxy.Refusal(Answers.Of(problem).GetRawText());
}
catch (Exception e)
{
    dayOutcome = $"stopped: {e.GetType().Name}: {Regex.Replace(e.Message, @"\s+", " ")}";
}

findings.Add(($"the day-at-a-community sample ({dayOutcome})", 0, [.. dayRefusal, .. prism.TakeViolations()]));

// The data the representative calls read: a day run straight against the service (last quarter closed).
var code = $"contract-{DateTime.UtcNow:yyyyMMddHHmmss}";
await new ADayAtACommunity(TimeBankClients.For(service.BaseAddress, admin), TextWriter.Null).RunAsync(code, DateTimeOffset.Now);
using var direct = service.NewClient(admin);
var volunteer = await IdOf(direct, $"/api/v1/communities/{code}/volunteers?limit=1", "items");
var elder = await IdOf(direct, $"/api/v1/communities/{code}/elders?limit=1", "items");
var quarter = LastQuarter(DateTimeOffset.Now);
var today = DateOnly.FromDateTime(DateTimeOffset.Now.ToOffset(TimeSpan.FromHours(8)).DateTime);

var c = $"/api/v1/communities/{code}";
var keys = new Dictionary<string, string?> { ["admin"] = admin, ["recorder"] = recorder, ["slow"] = slow, ["none"] = null, ["wrong"] = "tb_not-a-key" };
var newCode = $"contract-new-{DateTime.UtcNow:HHmmss}";
Call[] calls =
[
    // Writes.
    new("register a community (201)", "admin", HttpMethod.Post, "/api/v1/communities", $$"""{"code":"{{newCode}}","name":"示范社区","timeZone":"Asia/Shanghai","recordedBy":"office-01"}"""),
    new("enrol a volunteer (201)", "admin", HttpMethod.Post, $"/api/v1/communities/{newCode}/volunteers", $$"""{"name":"王秀兰","team":"general-care","enrolledOn":"{{today.AddDays(-1):yyyy-MM-dd}}","recordedBy":"grid-01"}"""),
    new("register an elder (201)", "admin", HttpMethod.Post, $"/api/v1/communities/{newCode}/elders", """{"name":"李大爷","careCategory":"living-alone","recordedBy":"grid-01"}"""),
    new("record a service (201)", "admin", HttpMethod.Post, $"{c}/services", $$"""{"volunteerId":"{{volunteer}}","elderIds":["{{elder}}"],"serviceType":"greeting-call","startedAt":"{{DateTimeOffset.Now.AddMinutes(-30):yyyy-MM-ddTHH:mm:sszzz}}","minutes":10,"recordedBy":"grid-01"}"""),
    new("open a station (201)", "admin", HttpMethod.Post, $"{c}/stations", """{"name":"实践站","recordedBy":"office-01"}"""),

    // Refusals of every kind.
    new("400 validation", "admin", HttpMethod.Post, $"{c}/volunteers", "{}") { BreaksTheDocument = true },
    // No malformed JSON: Prism 5.16 never answers a request whose body does not parse (it hangs until the client
    // gives up). The test suite sends such bodies to the service and checks the problem it answers.
    new("400 unparseable query value", "admin", HttpMethod.Get, $"{c}/volunteers?limit=many") { BreaksTheDocument = true },
    new("401 no key", "none", HttpMethod.Get, $"{c}/volunteers") { BreaksTheDocument = true },
    new("401 wrong key", "wrong", HttpMethod.Get, $"{c}/volunteers"),
    new("403 role not held", "recorder", HttpMethod.Get, $"{c}/audit/chain"),
    new("404 unknown volunteer", "admin", HttpMethod.Get, $"{c}/volunteers/{Guid.NewGuid()}"),
    new("404 unknown community", "admin", HttpMethod.Get, "/api/v1/communities/no-such-community"),
    new("409 community exists", "admin", HttpMethod.Post, "/api/v1/communities", $$"""{"code":"{{code}}","name":"示范社区","recordedBy":"office-01"}"""),
    new("412 stale version", "admin", HttpMethod.Post, $"{c}/volunteers/{volunteer}/pause", """{"reason":"health","recordedBy":"grid-01"}""", "\"1\""),
    new("422 service before enrolment", "admin", HttpMethod.Post, $"{c}/services", $$"""{"volunteerId":"{{volunteer}}","elderIds":["{{elder}}"],"serviceType":"greeting-call","startedAt":"2020-01-06T09:00:00+08:00","minutes":10,"recordedBy":"grid-01"}"""),
    .. Enumerable.Repeat(new Call("429 over the key's rate (1 a second)", "slow", HttpMethod.Get, $"{c}/volunteers"), 4),

    // Reads and lists.
    new("a community", "admin", HttpMethod.Get, c),
    new("list volunteers", "admin", HttpMethod.Get, $"{c}/volunteers?limit=10"),
    new("list elders", "admin", HttpMethod.Get, $"{c}/elders"),
    new("list services", "admin", HttpMethod.Get, $"{c}/services?limit=5"),
    new("time account", "admin", HttpMethod.Get, $"{c}/volunteers/{volunteer}/time-account"),
    new("statement", "admin", HttpMethod.Get, $"{c}/volunteers/{volunteer}/statement"),
    new("points", "admin", HttpMethod.Get, $"{c}/volunteers/{volunteer}/points"),
    new("festival days", "admin", HttpMethod.Get, $"{c}/care/festivals?from={today.AddDays(-60):yyyy-MM-dd}&to={today:yyyy-MM-dd}"),
    new("overdue care", "admin", HttpMethod.Get, $"{c}/care/overdue"),

    // The quarter's report in each format.
    new("report JSON", "admin", HttpMethod.Get, $"{c}/reports/quarterly/{quarter}"),
    new("report HTML", "admin", HttpMethod.Get, $"{c}/reports/quarterly/{quarter}?format=html&lang=en"),
    new("report CSV zip", "admin", HttpMethod.Get, $"{c}/reports/quarterly/{quarter}?format=csv"),
    new("report CSV table", "admin", HttpMethod.Get, $"{c}/reports/quarterly/{quarter}?format=csv&table=store"),
];

// First as a validating gateway answers them (--errors: Prism refuses what breaks the document itself).
foreach (var call in calls) findings.Add(await SendAsync(prism, keys[call.Key], call));

// Then through a proxy that only logs, so that each request reaches the service and its answer is checked too.
await using var watching = await PrismProxy.StartAsync(options["--prism"], options["--document"], service.BaseAddress, FreePort(), Path.Combine(folder, "prism-logging.log"), errors: false);
var watched = new List<(string Call, int Status, IReadOnlyList<string> Violations)>();
string watchedDay;
try
{
    await new ADayAtACommunity(TimeBankClients.For(watching.BaseAddress, admin), TextWriter.Null).RunAsync(dayCode + "-2", DateTimeOffset.Now);
    watchedDay = "ran to its end";
}
catch (Exception e)
{
    watchedDay = $"stopped: {e.GetType().Name}: {Regex.Replace(e.Message, @"\s+", " ")}";
}

var dayViolations = watching.TakeViolations();
foreach (var call in calls) watched.Add(await SendAsync(watching, keys[call.Key], call with { Json = call.Json?.Replace(newCode, newCode + "-2", StringComparison.Ordinal), Path = call.Path.Replace(newCode, newCode + "-2", StringComparison.Ordinal) }));

var violations = findings.Sum(f => f.Violations.Count);
var report = new StringBuilder()
    .AppendLine(CultureInfo.InvariantCulture, $"# Contract run of {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}")
    .AppendLine()
    .AppendLine(CultureInfo.InvariantCulture, $"Through `prism proxy --errors`: the day-at-a-community sample {dayOutcome}; {findings.Count - 1} representative calls; {violations} violations.")
    .AppendLine(CultureInfo.InvariantCulture, $"Through `prism proxy` (logging only, every request reaches the service): the sample {watchedDay}; {watched.Sum(w => w.Violations.Count) + dayViolations.Count} violations.")
    .AppendLine()
    .AppendLine("| call | through --errors: status | violations | through the logging proxy: status | violations |")
    .AppendLine("|---|---|---|---|---|");
for (var i = 0; i < findings.Count; i++)
{
    var (call, status, found) = findings[i];
    var (_, seen, logged) = i == 0 ? ("", 0, dayViolations) : watched[i - 1];
    report.AppendLine(CultureInfo.InvariantCulture, $"| {call} | {(status == 0 ? "" : status)} | {Cell(found)} | {(i == 0 ? watchedDay : seen)} | {Cell(logged)} |");
}

violations += watched.Sum(w => w.Violations.Count) + dayViolations.Count;

File.WriteAllText(Path.Combine(folder, "contract.md"), report.ToString());
Console.WriteLine(report);
Console.WriteLine($"Written to {Path.Combine(folder, "contract.md")}");
return violations == 0 ? 0 : 1;

static string Cell(IReadOnlyList<string> found) =>
    found.Count == 0 ? "none" : string.Join("<br>", found.Select(v => v.Replace("|", "\\|", StringComparison.Ordinal)));

static async Task<(string Call, int Status, IReadOnlyList<string> Violations)> SendAsync(PrismProxy proxy, string? key, Call call)
{
    using var http = Client(proxy.BaseAddress, key);
    using var request = new HttpRequestMessage(call.Method, call.Path);
    if (call.Json is not null) request.Content = new StringContent(call.Json, Encoding.UTF8, "application/json");
    if (call.Method == HttpMethod.Post) request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
    if (call.IfMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", call.IfMatch);
    var name = $"{call.Name}: {call.Method} {call.Path}";
    try
    {
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        IReadOnlyList<string> found = [.. PrismProxy.Refusal(body), .. proxy.TakeViolations()];
        // The answer to such a request must still match the document; what Prism finds wrong with the request is the point of it.
        // Prism refusing it as a gateway (422 for the request, 401 for the missing key) is the expected answer.
        return (name, (int)response.StatusCode, call.BreaksTheDocument
            ? [.. found.Where(v => v.Contains("response", StringComparison.Ordinal) && !v.Contains("UNAUTHORIZED", StringComparison.Ordinal))]
            : found);
    }
    catch (TaskCanceledException)
    {
        return (name, 0, [$"no answer through the proxy within {http.Timeout.TotalSeconds:0} s", .. proxy.TakeViolations()]);
    }
}

static HttpClient Client(Uri baseAddress, string? key)
{
    var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(20) };
    if (key is not null) http.DefaultRequestHeaders.Add("X-Api-Key", key);
    return http;
}

static async Task<Guid> IdOf(HttpClient http, string path, string list)
{
    using var json = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(path));
    return json.RootElement.GetProperty(list)[0].GetProperty("id").GetGuid();
}

static string LastQuarter(DateTimeOffset now)
{
    var today = now.ToOffset(TimeSpan.FromHours(8));
    var start = new DateTime(today.Year, ((today.Month - 1) / 3 * 3) + 1, 1).AddMonths(-3);
    return $"{start.Year}Q{((start.Month - 1) / 3) + 1}";
}

static int FreePort()
{
    var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    var port = ((IPEndPoint)listener.LocalEndpoint).Port;
    listener.Stop();
    return port;
}

/// <summary>A representative call: who sends it (a key's name), what and where.</summary>
internal sealed record Call(string Name, string Key, HttpMethod Method, string Path, string? Json = null, string? IfMatch = null)
{
    /// <summary>A request made to break the document (a refusal's test): what Prism says of the request is expected.</summary>
    public bool BreaksTheDocument { get; init; }
}

/// <summary>Prism's proxy as a process of its own; what it logs is kept, its violations taken call by call.</summary>
internal sealed partial class PrismProxy : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly StreamWriter _log;

    private PrismProxy(Process process, Uri baseAddress, StreamWriter log)
    {
        _process = process;
        BaseAddress = baseAddress;
        _log = log;
    }

    public Uri BaseAddress { get; }

    public static async Task<PrismProxy> StartAsync(string prism, string document, Uri upstream, int port, string logFile, bool errors = true)
    {
        var start = new ProcessStartInfo(prism, ["proxy", document, upstream.ToString().TrimEnd('/'), .. errors ? ["--errors"] : Array.Empty<string>(), "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["NO_COLOR"] = "1";
        start.Environment["FORCE_COLOR"] = "0";
        var proxy = new PrismProxy(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}"), new StreamWriter(logFile) { AutoFlush = true });
        proxy._process.OutputDataReceived += (_, e) => proxy.Keep(e.Data);
        proxy._process.ErrorDataReceived += (_, e) => proxy.Keep(e.Data);
        proxy._process.BeginOutputReadLine();
        proxy._process.BeginErrorReadLine();
        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until)
        {
            if (proxy._process.HasExited) throw new InvalidOperationException($"Prism exited with code {proxy._process.ExitCode} (log: {logFile}).");
            lock (proxy._lines)
            {
                if (proxy._lines.Any(l => l.Contains("Prism is listening", StringComparison.Ordinal))) return proxy;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Prism did not listen within 60 s (log: {logFile}).");
    }

    /// <summary>
    /// What Prism's own refusal names (with --errors it answers a violation itself: 422 for the request, 500 for
    /// the service's answer), each violation by where it is and what it breaks; nothing for the service's answers.
    /// </summary>
    public static IReadOnlyList<string> Refusal(string body)
    {
        if (!body.Contains("stoplight.io/prism/errors", StringComparison.Ordinal)) return [];
        using var json = System.Text.Json.JsonDocument.Parse(body);
        var root = json.RootElement;
        var title = root.TryGetProperty("title", out var t) ? t.GetString() : "";
        var type = root.TryGetProperty("type", out var ty) ? ty.GetString()?.Split('#').Last() : "";
        if (!root.TryGetProperty("validation", out var validation) || validation.ValueKind != System.Text.Json.JsonValueKind.Array)
        {
            return [$"Prism {type}: {title} {(root.TryGetProperty("detail", out var d) ? d.GetString() : "")}".Trim()];
        }

        return [.. validation.EnumerateArray().Select(v =>
            $"{type}: {string.Join('.', v.GetProperty("location").EnumerateArray().Select(l => l.ToString()))} {v.GetProperty("message").GetString()}")];
    }

    /// <summary>The violations Prism logged since the last call, once its log has settled.</summary>
    public IReadOnlyList<string> TakeViolations()
    {
        Thread.Sleep(300);
        lock (_lines)
        {
            var found = _lines.Where(l => l.Contains("Violation", StringComparison.Ordinal))
                .Select(l => Ansi().Replace(l, "").Trim())
                .Select(l => l[(l.IndexOf("Violation", StringComparison.Ordinal))..])
                .Distinct()
                .ToList();
            _lines.Clear();
            return found;
        }
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_lines)
        {
            _lines.Add(line);
            _log.WriteLine(line);
        }
    }

    [GeneratedRegex(@"\x1B\[[0-9;]*m")]
    private static partial Regex Ansi();

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        _log.Dispose();
        return ValueTask.CompletedTask;
    }
}
