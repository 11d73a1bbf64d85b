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
// request and answer against the OpenAPI document, the day-at-a-community sample and a set of representative
// calls through the proxy; every violation Prism finds is reported (.timebank/contract/contract.md), exit 1 if any.
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
try
{
    await new ADayAtACommunity(TimeBankClients.For(prism.BaseAddress, admin), TextWriter.Null).RunAsync(dayCode, DateTimeOffset.Now);
    dayOutcome = "ran to its end";
}
catch (Exception e)
{
    dayOutcome = $"stopped: {e.GetType().Name}: {Regex.Replace(e.Message, @"\s+", " ")}";
}

findings.Add(("the day-at-a-community sample", 0, prism.TakeViolations()));

// The data the representative calls read: a day run straight against the service (last quarter closed).
var code = $"contract-{DateTime.UtcNow:yyyyMMddHHmmss}";
await new ADayAtACommunity(TimeBankClients.For(service.BaseAddress, admin), TextWriter.Null).RunAsync(code, DateTimeOffset.Now);
using var direct = service.NewClient(admin);
var volunteer = await IdOf(direct, $"/api/v1/communities/{code}/volunteers?limit=1", "items");
var quarter = LastQuarter(DateTimeOffset.Now);
var today = DateOnly.FromDateTime(DateTimeOffset.Now.ToOffset(TimeSpan.FromHours(8)).DateTime);

using var asAdmin = Client(prism.BaseAddress, admin);
using var asRecorder = Client(prism.BaseAddress, recorder);
using var asSlow = Client(prism.BaseAddress, slow);
using var anonymous = Client(prism.BaseAddress, null);
var c = $"/api/v1/communities/{code}";
var newCode = $"contract-new-{DateTime.UtcNow:HHmmss}";

async Task Call(string name, HttpClient http, HttpMethod method, string path, string? json = null, Action<HttpRequestMessage>? more = null)
{
    using var request = new HttpRequestMessage(method, path);
    if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
    if (method == HttpMethod.Post) request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
    more?.Invoke(request);
    using var response = await http.SendAsync(request);
    await response.Content.ReadAsByteArrayAsync();
    findings.Add(($"{name}: {method} {path}", (int)response.StatusCode, prism.TakeViolations()));
}

// Writes.
await Call("register a community (201)", asAdmin, HttpMethod.Post, "/api/v1/communities", $$"""{"code":"{{newCode}}","name":"示范社区","timeZone":"Asia/Shanghai","recordedBy":"office-01"}""");
await Call("enrol a volunteer (201)", asAdmin, HttpMethod.Post, $"/api/v1/communities/{newCode}/volunteers", $$"""{"name":"王秀兰","team":"general-care","enrolledOn":"{{today.AddDays(-1):yyyy-MM-dd}}","recordedBy":"grid-01"}""");
await Call("register an elder (201)", asAdmin, HttpMethod.Post, $"/api/v1/communities/{newCode}/elders", """{"name":"李大爷","careCategory":"living-alone","recordedBy":"grid-01"}""");
await Call("record a service (201)", asAdmin, HttpMethod.Post, $"{c}/services", $$"""{"volunteerId":"{{volunteer}}","elderIds":[],"serviceType":"greeting-call","startedAt":"{{DateTimeOffset.Now.AddMinutes(-30):yyyy-MM-ddTHH:mm:sszzz}}","minutes":10,"recordedBy":"grid-01"}""");
await Call("open a station (201)", asAdmin, HttpMethod.Post, $"{c}/stations", """{"name":"实践站","recordedBy":"office-01"}""");

// Refusals of every kind.
await Call("400 validation", asAdmin, HttpMethod.Post, $"{c}/volunteers", "{}");
await Call("400 malformed JSON", asAdmin, HttpMethod.Post, $"{c}/volunteers", "{\"name\":");
await Call("400 unparseable query value", asAdmin, HttpMethod.Get, $"{c}/volunteers?limit=many");
await Call("401 no key", anonymous, HttpMethod.Get, $"{c}/volunteers");
await Call("401 wrong key", Client(prism.BaseAddress, "tb_not-a-key"), HttpMethod.Get, $"{c}/volunteers");
await Call("403 role not held", asRecorder, HttpMethod.Get, $"{c}/audit/chain");
await Call("404 unknown volunteer", asAdmin, HttpMethod.Get, $"{c}/volunteers/{Guid.NewGuid()}");
await Call("404 unknown community", asAdmin, HttpMethod.Get, "/api/v1/communities/no-such-community");
await Call("409 community exists", asAdmin, HttpMethod.Post, "/api/v1/communities", $$"""{"code":"{{code}}","name":"示范社区","recordedBy":"office-01"}""");
await Call("412 stale version", asAdmin, HttpMethod.Post, $"{c}/volunteers/{volunteer}/pause", """{"reason":"ill","recordedBy":"grid-01"}""", r => r.Headers.TryAddWithoutValidation("If-Match", "\"1\""));
await Call("422 service before enrolment", asAdmin, HttpMethod.Post, $"{c}/services", $$"""{"volunteerId":"{{volunteer}}","elderIds":[],"serviceType":"greeting-call","startedAt":"2020-01-06T09:00:00+08:00","minutes":10,"recordedBy":"grid-01"}""");
for (var i = 0; i < 4; i++) await Call("429 over the key's rate", asSlow, HttpMethod.Get, $"{c}/volunteers");

// Reads and lists.
await Call("a community", asAdmin, HttpMethod.Get, c);
await Call("list volunteers", asAdmin, HttpMethod.Get, $"{c}/volunteers?limit=10");
await Call("list elders", asAdmin, HttpMethod.Get, $"{c}/elders");
await Call("list services", asAdmin, HttpMethod.Get, $"{c}/services?limit=5");
await Call("time account", asAdmin, HttpMethod.Get, $"{c}/volunteers/{volunteer}/time-account");
await Call("statement", asAdmin, HttpMethod.Get, $"{c}/volunteers/{volunteer}/statement");
await Call("points", asAdmin, HttpMethod.Get, $"{c}/volunteers/{volunteer}/points");
await Call("festival days", asAdmin, HttpMethod.Get, $"{c}/care/festivals?from={today.AddDays(-60):yyyy-MM-dd}&to={today:yyyy-MM-dd}");
await Call("overdue care", asAdmin, HttpMethod.Get, $"{c}/care/overdue");

// The quarter's report in each format.
await Call("report JSON", asAdmin, HttpMethod.Get, $"{c}/reports/quarterly/{quarter}");
await Call("report HTML", asAdmin, HttpMethod.Get, $"{c}/reports/quarterly/{quarter}?format=html&lang=en");
await Call("report CSV zip", asAdmin, HttpMethod.Get, $"{c}/reports/quarterly/{quarter}?format=csv");
await Call("report CSV table", asAdmin, HttpMethod.Get, $"{c}/reports/quarterly/{quarter}?format=csv&table=store");

var violations = findings.Sum(f => f.Violations.Count);
var report = new StringBuilder()
    .AppendLine(CultureInfo.InvariantCulture, $"# Contract run of {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}")
    .AppendLine()
    .AppendLine(CultureInfo.InvariantCulture, $"Through `prism proxy --errors`: the day-at-a-community sample {dayOutcome}; {findings.Count - 1} representative calls; {violations} violations.")
    .AppendLine()
    .AppendLine("| call | status through the proxy | violations |")
    .AppendLine("|---|---|---|");
foreach (var (call, status, found) in findings)
{
    var cell = found.Count == 0 ? "none" : string.Join("<br>", found.Select(v => v.Replace("|", "\\|", StringComparison.Ordinal)));
    report.AppendLine(CultureInfo.InvariantCulture, $"| {call} | {(status == 0 ? "" : status)} | {cell} |");
}

File.WriteAllText(Path.Combine(folder, "contract.md"), report.ToString());
Console.WriteLine(report);
Console.WriteLine($"Written to {Path.Combine(folder, "contract.md")}");
return violations == 0 ? 0 : 1;

static HttpClient Client(Uri baseAddress, string? key)
{
    var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
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

    public static async Task<PrismProxy> StartAsync(string prism, string document, Uri upstream, int port, string logFile)
    {
        var start = new ProcessStartInfo(prism, ["proxy", document, upstream.ToString().TrimEnd('/'), "--errors", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture)])
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
