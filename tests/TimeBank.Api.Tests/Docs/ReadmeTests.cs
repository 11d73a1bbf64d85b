using System.Diagnostics;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using TimeBank.Harness;
using TimeBank.Samples.ADayAtACommunity;

namespace TimeBank.Api.Tests.Docs;

/// <summary>
/// The README's shell blocks marked to run are run as written, with bash, against the built service as its own
/// process on 127.0.0.1 (curl needs a real socket) and the suite's database: the README cannot drift from
/// what the service answers. Only the API address, the key and the database are given, as the README says.
/// </summary>
[NonParallelizable]
public partial class ReadmeTests
{
    private const string Marker = "<!-- README test: runs as written (tests/TimeBank.Api.Tests/Docs) -->";

    private static readonly string Root = RepositoryRoot();
    private ServiceProcess _service = null!;
    private string _key = "";
    private string _database = "";

    [OneTimeSetUp]
    public async Task StartTheService()
    {
        // The build's own output of the service, in the configuration the tests were built in.
        var configuration = TestContext.CurrentContext.TestDirectory.Contains("/bin/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
        var dll = Path.Combine(Root, "src/TimeBank.Api/bin", configuration, "net10.0/TimeBank.Api.dll");
        // A database of its own: on the test host's, the service would be a second node and take over its async views.
        _database = await TestHost.FreshDatabaseAsync(null, "_test_readme");
        _service = new ServiceProcess(dll, _database, FreePort(), Path.Combine(Path.GetTempPath(), $"timebank-readme-{Guid.NewGuid():N}.log"));
        await _service.StartAsync(TimeSpan.FromSeconds(60));
        _key = await _service.IssueKeyAsync("readme", "admin", 200);
    }

    [OneTimeTearDown]
    public async Task StopTheService() => await _service.DisposeAsync();

    [Test]
    public void the_readme_marks_the_blocks_it_runs()
    {
        Assert.That(Blocks().Count, Is.EqualTo(3), "Trying the API; the report's digest; checking an export");
    }

    [Test]
    public async Task trying_the_api_works_as_written()
    {
        var (exit, output, all) = await RunAsync(Blocks()[0], []);

        Assert.That(exit, Is.Zero, all);
        // The block's last command checks the balance with jq -e and prints its verdict.
        Assert.That(output.TrimEnd(), Does.EndWith("true"), all);
    }

    [Test]
    public async Task the_reports_digest_recomputes_with_psql_as_written()
    {
        // A community with a closed quarter, made through the service the recipe reads: the day's sample closes
        // the last quarter of today's calendar.
        var code = "readme-" + Guid.NewGuid().ToString("N")[..8];
        var now = DateTimeOffset.Now;
        await new ADayAtACommunity(TimeBank.Client.TimeBankClients.For(_service.BaseAddress, _key), TextWriter.Null).RunAsync(code, now);
        var lastQuarter = TimeBank.Domain.Communities.Quarter.Containing(DateOnly.FromDateTime(now.ToOffset(TimeSpan.FromHours(8)).DateTime)).Previous;

        // The digest recipe uses the tb helper and API of "Trying the API", as a reader going down the README does.
        var setup = string.Join('\n', Blocks()[0].Split('\n').TakeWhile(line => !line.StartsWith("CODE=", StringComparison.Ordinal)));
        var (exit, output, all) = await RunAsync(setup + "\n" + Blocks()[1], new()
        {
            ["TIMEBANK_DB"] = _database,
            ["COMMUNITY"] = code,
            ["QUARTER"] = lastQuarter.ToString(),
        });

        Assert.That(exit, Is.Zero, all);
        Assert.That(output, Does.Contain("the report's digest matches the ledger"), all);
    }

    [Test]
    public async Task the_export_checks_with_ordinary_tools_as_written()
    {
        var code = "readme-" + Guid.NewGuid().ToString("N")[..8];
        await new ADayAtACommunity(TestHost.Factory.PartnerClient(), TextWriter.Null).RunAsync(code, TestHost.Start);
        var folder = Directory.CreateTempSubdirectory("timebank-readme-export-").FullName;
        // What `audit export --community <code> --out <folder>` runs.
        var manifest = await TimeBank.Api.Audit.EventExport.ExportAsync(TestHost.Factory.Store, new(code, null, null, null, null), folder, CancellationToken.None);

        var (exit, output, all) = await RunAsync(Blocks()[2], [], folder);

        // It prints the file's digest, its number of lines and the chain head, for the reader to hold against
        // the manifest, and names every line whose hash does not recompute.
        Assert.That(exit, Is.Zero, all);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(lines, Has.Length.EqualTo(3), all);
        Assert.That(lines[0], Is.EqualTo($"{manifest.File.Sha256}  events.ndjson"));
        Assert.That(lines[1], Is.EqualTo(manifest.Events.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(lines[2], Is.EqualTo($"{manifest.ChainHead}  -"));
        Directory.Delete(folder, recursive: true);
    }

    private static List<string> Blocks()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        return [.. MarkedBlock().Matches(readme).Select(m => m.Groups["script"].Value)];
    }

    [GeneratedRegex(@"<!-- README test: runs as written \(tests/TimeBank\.Api\.Tests/Docs\) -->\n```bash\n(?<script>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex MarkedBlock();

    /// <returns>The exit code, what the script wrote to its output, and both its output and its errors (for a failure's message).</returns>
    private async Task<(int Exit, string Output, string All)> RunAsync(string script, Dictionary<string, string> environment, string? folder = null)
    {
        var start = new ProcessStartInfo("bash", ["-euo", "pipefail", "-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder ?? Path.GetTempPath(),
        };
        start.Environment["API"] = $"{_service.BaseAddress.ToString().TrimEnd('/')}/api/v1";
        start.Environment["KEY"] = _key;
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await output, $"{await output}\n{await errors}");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TimeBank.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("The tests do not run inside the repository.");
    }
}
