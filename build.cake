// The TimeBank build. Targets (./build.sh --target=NAME):
//   Build    restore, compile the service, generate Wolverine's handler code, write and lint the OpenAPI
//            document, generate the partner client from it, compile the rest of the solution, check the format
//   Test     Build, make sure a PostgreSQL is there, run every test
//   Run      compile the service, its client and the sample loader (no tests, no lint, no format check), make
//            sure a PostgreSQL is there, serve on http://127.0.0.1:5080, load the sample community
//   Stop-Db  stop the private PostgreSQL cluster of this clone
//   Bench    Build, then measure the service against PostgreSQL's own limit (README: Performance); not part of Test
//   Chaos    Build, then crash the service, stop its database, contend and send hostile input (README: Reliability)
//   Format   rewrite the code to .editorconfig (Build checks it without rewriting)
//   Contract Build, then run the built service behind a validating Prism proxy and report every request or
//            answer that the OpenAPI document does not describe (README: The contract)
//   Console-Screenshots  Build, then photograph the staff console's main pages with headless chromium
//            (docs/console/*.png, shown in the README)
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

var target = Argument("target", "Test");
var configuration = Argument("configuration", "Release");
// Runs only the tests whose names match, e.g. --filter=FullyQualifiedName~Care (dotnet test's filter syntax).
var testFilter = Argument("filter", "");

var root = MakeAbsolute(Directory(".")).FullPath;
var stateDir = $"{root}/.timebank";
var solution = $"{root}/TimeBank.sln";
var apiProject = $"{root}/src/TimeBank.Api/TimeBank.Api.csproj";
var sampleLoaderProject = $"{root}/samples/TimeBank.Samples.SampleCommunity/TimeBank.Samples.SampleCommunity.csproj";
const string ApiUrl = "http://127.0.0.1:5080";
// The built service itself, run as one process (stopping it stops the service, unlike `dotnet run`).
var serviceDll = $"{root}/src/TimeBank.Api/bin/{configuration}/net10.0/TimeBank.Api.dll";

// ---------------------------------------------------------------------------------------------
// Build
// ---------------------------------------------------------------------------------------------

Task("Restore")
    .Does(() => DotNetRestore(solution));

var generated = $"{root}/src/TimeBank.Api/Internal/Generated";

Task("Clean-Generated")
    .Description("Old generated code may refer to endpoints that are gone, and would not compile: start from nothing.")
    .Does(() =>
{
    if (DirectoryExists(generated)) DeleteDirectory(generated, new DeleteDirectorySettings { Recursive = true, Force = true });
});

Task("Compile-Service")
    .Description("Compiles the service alone: its OpenAPI document is written from it before the rest is compiled.")
    .IsDependentOn("Restore")
    .IsDependentOn("Clean-Generated")
    .Does(() => DotNetBuild(apiProject, new DotNetBuildSettings { Configuration = configuration, NoRestore = true }));

// The service's commands that only read its configuration never connect, so any well-formed connection string will do.
var offlineServiceEnvironment = new Dictionary<string, string> { ["TIMEBANK_DB"] = "Host=127.0.0.1;Database=codegen;Username=codegen" };

Task("Codegen")
    .Description("Writes Wolverine's generated handler code; the service loads it statically (TypeLoadMode.Static).")
    .IsDependentOn("Compile-Service")
    .Does(() =>
{
    var exit = StartProcess("dotnet", new ProcessSettings
    {
        Arguments = $"run --no-build -c {configuration} --project \"{apiProject}\" -- codegen write",
        WorkingDirectory = $"{root}/src/TimeBank.Api",
        EnvironmentVariables = offlineServiceEnvironment,
    });
    if (exit != 0) throw new Exception($"codegen write failed with exit code {exit}");
    DotNetBuild(apiProject, new DotNetBuildSettings { Configuration = configuration, NoRestore = true });
});

var openApiDocument = $"{stateDir}/openapi/v1.json";
var contractTools = $"{root}/tools/contract";

Task("OpenApi-Document")
    .Description("Writes the built service's OpenAPI document to .timebank/openapi/v1.json, the same one it serves at /openapi/v1.json.")
    .IsDependentOn("Codegen")
    .Does(() =>
{
    EnsureDirectoryExists($"{stateDir}/openapi");
    if (FileExists(openApiDocument)) DeleteFile(openApiDocument);
    var exit = StartProcess("dotnet", new ProcessSettings
    {
        Arguments = $"\"{serviceDll}\" openapi -o \"{openApiDocument}\"",
        WorkingDirectory = $"{root}/src/TimeBank.Api",
        EnvironmentVariables = offlineServiceEnvironment,
        RedirectStandardOutput = true,
    }, out var output);
    if (exit != 0 || !FileExists(openApiDocument))
    {
        foreach (var line in output.TakeLast(20)) Error(line);
        throw new Exception($"The service could not write its OpenAPI document (exit code {exit}).");
    }
    Information($"Wrote {openApiDocument}");
});

Task("Contract-Tools")
    .Description("Installs Spectral and Prism from tools/contract/package-lock.json into tools/contract/node_modules (npm ci).")
    .Does(() =>
{
    EnsureNode();
    // npm ci starts from nothing each time: only when the lock file differs from the one last installed.
    var lockHash = Convert.ToHexString(SHA256.HashData(System.IO.File.ReadAllBytes($"{contractTools}/package-lock.json")));
    var installedFrom = $"{contractTools}/node_modules/.installed-from-lock";
    if (FileExists(installedFrom) && System.IO.File.ReadAllText(installedFrom) == lockHash) return;
    var exit = StartProcess("npm", new ProcessSettings { Arguments = "ci --no-audit --no-fund --loglevel=error", WorkingDirectory = contractTools });
    if (exit != 0) throw new Exception($"npm ci in tools/contract failed with exit code {exit}.");
    System.IO.File.WriteAllText(installedFrom, lockHash);
});

Task("OpenApi-Lint")
    .Description("Lints the OpenAPI document with Spectral's spectral:oas ruleset: fails on an error, reports warnings.")
    .IsDependentOn("OpenApi-Document")
    .IsDependentOn("Contract-Tools")
    .Does(() =>
{
    var report = $"{stateDir}/openapi/lint.json";
    var exit = StartProcess($"{contractTools}/node_modules/.bin/spectral", new ProcessSettings
    {
        Arguments = $"lint \"{openApiDocument}\" --ruleset \"{contractTools}/.spectral.yaml\" --format json --output \"{report}\" --fail-severity error --quiet",
        WorkingDirectory = contractTools,
    });
    if (!FileExists(report)) throw new Exception($"Spectral did not lint the document (exit code {exit}).");
    var findings = System.Text.Json.JsonDocument.Parse(System.IO.File.ReadAllText(report)).RootElement.EnumerateArray()
        .Select(f => (Severity: f.GetProperty("severity").GetInt32(), Rule: f.GetProperty("code").ToString(),
            Path: string.Join(".", f.GetProperty("path").EnumerateArray().Select(p => p.ToString())),
            Line: f.GetProperty("range").GetProperty("start").GetProperty("line").GetInt32() + 1, Message: f.GetProperty("message").GetString()))
        .ToList();
    // Spectral's severities: 0 error, 1 warning, 2 information, 3 hint.
    foreach (var f in findings.Where(f => f.Severity == 1)) Warning($"OpenAPI lint warning {f.Rule} at {f.Path} (line {f.Line}): {f.Message}");
    var errors = findings.Where(f => f.Severity == 0).ToList();

    foreach (var f in errors) Error($"OpenAPI lint error {f.Rule} at {f.Path} (line {f.Line}): {f.Message}");
    Information($"OpenAPI lint (spectral:oas): {errors.Count} errors, {findings.Count(f => f.Severity == 1)} warnings.");
    if (errors.Count > 0) throw new Exception($"OpenAPI lint: {errors.Count} errors (see above).");
});

var clientProject = $"{root}/samples/TimeBank.Client/TimeBank.Client.csproj";
var generatedClient = $"{root}/samples/TimeBank.Client/Generated";

Task("Client")
    .Description("Generates the partner client from the OpenAPI document with Kiota, as a partner would, into samples/TimeBank.Client/Generated.")
    .IsDependentOn("OpenApi-Document")
    .Does(() =>
{
    var exit = StartProcess("dotnet", new ProcessSettings
    {
        Arguments = $"kiota generate --language CSharp --openapi \"{openApiDocument}\" --output \"{generatedClient}\" "
            + "--class-name TimeBankApiClient --namespace-name TimeBank.Client.Generated --exclude-backward-compatible --clean-output",
        WorkingDirectory = root,
        // No look for a newer Kiota, no hints, no usage data: the build runs as it ran yesterday.
        EnvironmentVariables = new Dictionary<string, string>
        {
            ["KIOTA_OFFLINE_ENABLED"] = "true",
            ["KIOTA_TUTORIAL_ENABLED"] = "false",
            ["KIOTA_CLI_TELEMETRY_OPTOUT"] = "true",
            ["KIOTA_CONSOLE_COLORS_ENABLED"] = "false",
        },
    });
    if (exit != 0) throw new Exception($"Kiota could not generate the client (exit code {exit}).");
});

// Run needs only the service and the sample loader (on the generated client): compiling the tests, the lint and
// the format check belong to Test.
Task("Compile-Run")
    .IsDependentOn("Codegen")
    .IsDependentOn("Client")
    .Does(() => DotNetBuild(sampleLoaderProject, new DotNetBuildSettings { Configuration = configuration, NoRestore = true }));

Task("Compile")
    .Description("Compiles the whole solution: the samples and the tests build on the generated client.")
    .IsDependentOn("Codegen")
    .IsDependentOn("OpenApi-Lint")
    .IsDependentOn("Client")
    .Does(() => DotNetBuild(solution, new DotNetBuildSettings { Configuration = configuration, NoRestore = true }));

Task("Format-Check")
    .Description("Fails when the code does not follow .editorconfig (fix with --target=Format).")
    .IsDependentOn("Compile")
    .Does(() =>
{
    var exit = StartProcess("dotnet", $"format \"{solution}\" --verify-no-changes --no-restore --exclude src/TimeBank.Api/Internal/Generated samples/TimeBank.Client/Generated");
    if (exit != 0) throw new Exception("The code does not follow .editorconfig: run ./build.sh --target=Format and commit the result.");
});

Task("Format")
    .IsDependentOn("Compile")
    .Does(() => StartProcess("dotnet", $"format \"{solution}\" --no-restore --exclude src/TimeBank.Api/Internal/Generated samples/TimeBank.Client/Generated"));

Task("Build")
    .IsDependentOn("Compile")
    .IsDependentOn("Format-Check");

// ---------------------------------------------------------------------------------------------
// PostgreSQL: a given connection string, or a private cluster of this clone
// ---------------------------------------------------------------------------------------------

// The service connects as the runtime role, which may append to the event log and read it but never change or remove
// it; the owner role applies the schema and grants the runtime role its share (README: Security). Both are made in
// every private cluster; the superuser is only for the tests' own database work and for databases made before the roles.
const string OwnerRole = "timebank_owner";
const string ServiceRole = "timebank_service";

/// <summary>The connection strings of the service (runtime role), the schema's owner and the cluster's superuser.</summary>
record Connections(string Service, string Owner, string Superuser);

Connections DatabaseConnections()
{
    var given = Environment.GetEnvironmentVariable("TIMEBANK_DB");
    if (string.IsNullOrWhiteSpace(given)) given = Environment.GetEnvironmentVariable("ConnectionStrings__TimeBank");
    if (!string.IsNullOrWhiteSpace(given))
    {
        Information("Using the PostgreSQL given in TIMEBANK_DB (runtime role), TIMEBANK_DB_OWNER and TIMEBANK_DB_SUPERUSER.");
        return new Connections(given, Environment.GetEnvironmentVariable("TIMEBANK_DB_OWNER") ?? "", Environment.GetEnvironmentVariable("TIMEBANK_DB_SUPERUSER") ?? "");
    }
    var cluster = EnsurePrivateCluster();
    var server = $"Host=127.0.0.1;Port={cluster.Port};Database=timebank";
    return new Connections($"{server};Username={ServiceRole}", $"{server};Username={OwnerRole}", $"{server};Username=postgres");
}

string ConnectionString() => DatabaseConnections().Service;

/// <summary>The owner and runtime roles of the ledger, made once per cluster (neither is a superuser).</summary>
void EnsureRoles(PgCluster cluster)
{
    var sql = $"do $$ begin "
        + $"if not exists (select from pg_roles where rolname = '{OwnerRole}') then create role {OwnerRole} login createdb nosuperuser nocreaterole; end if; "
        + $"if not exists (select from pg_roles where rolname = '{ServiceRole}') then create role {ServiceRole} login nosuperuser nocreatedb nocreaterole; end if; "
        + "end $$;";
    var exit = StartProcess("psql", new ProcessSettings
    {
        Arguments = $"-X -q -h 127.0.0.1 -p {cluster.Port} -U postgres -d postgres -v ON_ERROR_STOP=1 -c \"{sql}\"",
        Silent = true,
    });
    if (exit != 0) throw new Exception("Could not make the ledger's database roles (psql failed).");
}

Task("Db")
    .Description("Makes sure a PostgreSQL is there and prints its connection string.")
    .Does(() => Information(ConnectionString()));

Task("Stop-Db")
    .Description("Stops this clone's private PostgreSQL cluster (its data stays for the next run).")
    .Does(() =>
{
    var cluster = PrivateCluster(FindPostgresBinaries(install: false));
    if (!IsRunning(cluster)) { Information("The private PostgreSQL cluster is not running."); return; }
    RunPostgresTool(cluster, "pg_ctl", $"stop -D \"{cluster.DataDir}\" -m fast -w");
    Information("Stopped the private PostgreSQL cluster.");
});

record PgCluster(string BinDir, string DataDir, int Port)
{
    public string LogFile => $"{DataDir}/server.log";
}

bool RunningAsRoot() => Environment.UserName == "root";

string FindPostgresBinaries(bool install)
{
    foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        if (System.IO.File.Exists($"{dir}/pg_ctl") && System.IO.File.Exists($"{dir}/initdb")) return dir;
    var versions = System.IO.Directory.Exists("/usr/lib/postgresql")
        ? System.IO.Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(System.IO.Path.GetFileName(d), out var v) ? v : 0)
        : Enumerable.Empty<string>();
    foreach (var dir in versions)
        if (System.IO.File.Exists($"{dir}/bin/pg_ctl")) return $"{dir}/bin";

    if (install && RunningAsRoot() && System.IO.File.Exists("/etc/debian_version"))
    {
        Information("No PostgreSQL binaries found: installing Debian's postgresql package.");
        if (StartProcess("apt-get", "update -q") != 0 || StartProcess("apt-get", "install -y -q postgresql") != 0)
            throw new Exception("apt-get could not install postgresql.");
        return FindPostgresBinaries(install: false);
    }
    throw new Exception("No PostgreSQL found: install PostgreSQL 15 or later (initdb and pg_ctl on PATH), or set TIMEBANK_DB to a connection string.");
}

/// <param name="name">"pg" for the cluster everything uses; "chaos-pg" for the one the Chaos target stops and starts.</param>
PgCluster PrivateCluster(string binDir, string name = "pg")
{
    // As root the cluster runs as the 'postgres' user, who may not reach a clone under a private home folder;
    // then the data lives in a folder of its own, still derived from this clone's path so clones never share one.
    var dataDir = $"{stateDir}/{name}";
    if (RunningAsRoot() && !PostgresUserCanReach(root))
        dataDir = $"/var/tmp/timebank-pg/{PathHash()}/{name}";
    return new PgCluster(binDir, dataDir, ClusterPort(name));
}

string PathHash() => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(root)))[..12].ToLowerInvariant();

bool PostgresUserCanReach(string dir) =>
    StartProcess("runuser", new ProcessSettings { Arguments = $"-u postgres -- test -x \"{dir}\"", Silent = true }) == 0;

int ClusterPort(string name)
{
    // Fixed per clone and cluster: derived from its path once, moved on if that port is taken, then remembered.
    var portFile = $"{stateDir}/{name}-port";
    if (System.IO.File.Exists(portFile)) return int.Parse(System.IO.File.ReadAllText(portFile).Trim());
    var port = (name == "pg" ? 55400 : 55900) + (int)(Convert.ToUInt32(PathHash()[..6], 16) % 500);
    while (!PortIsFree(port)) port++;
    EnsureDirectoryExists(stateDir);
    System.IO.File.WriteAllText(portFile, port.ToString());
    return port;
}

bool PortIsFree(int port)
{
    try
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        listener.Stop();
        return true;
    }
    catch (SocketException) { return false; }
}

bool IsRunning(PgCluster cluster) =>
    System.IO.File.Exists($"{cluster.DataDir}/PG_VERSION")
    && RunPostgresTool(cluster, "pg_ctl", $"status -D \"{cluster.DataDir}\"", silent: true) == 0;

int RunPostgresTool(PgCluster cluster, string tool, string arguments, bool silent = false)
{
    var settings = new ProcessSettings { Silent = silent };
    if (RunningAsRoot())
        settings.Arguments = $"-u postgres -- \"{cluster.BinDir}/{tool}\" {arguments}";
    else
        settings.Arguments = arguments;
    return StartProcess(RunningAsRoot() ? "runuser" : $"{cluster.BinDir}/{tool}", settings);
}

PgCluster EnsurePrivateCluster(string name = "pg")
{
    var cluster = PrivateCluster(FindPostgresBinaries(install: true), name);
    if (!System.IO.File.Exists($"{cluster.DataDir}/PG_VERSION"))
    {
        Information($"Creating a private PostgreSQL cluster on 127.0.0.1:{cluster.Port}.");
        EnsureDirectoryExists(cluster.DataDir);
        if (RunningAsRoot())
        {
            StartProcess("chown", $"-R postgres: \"{cluster.DataDir}\"");
            StartProcess("chmod", $"700 \"{cluster.DataDir}\"");
        }
        if (RunPostgresTool(cluster, "initdb", $"-D \"{cluster.DataDir}\" -U postgres -A trust -E UTF8 --no-locale", silent: true) != 0)
            throw new Exception("initdb failed.");
        var settings = $"\nlisten_addresses = '127.0.0.1'\nport = {cluster.Port}\nunix_socket_directories = ''\nmax_connections = 200\n";
        System.IO.File.AppendAllText($"{cluster.DataDir}/postgresql.conf", settings);
    }
    // What every statement costs, for the benchmark and for anyone looking (README: Performance). Added to a
    // cluster made before it too; the server reads it at start, so a running one is restarted once.
    var conf = $"{cluster.DataDir}/postgresql.conf";
    var statisticsAdded = !System.IO.File.ReadAllText(conf).Contains("pg_stat_statements");
    if (statisticsAdded)
        System.IO.File.AppendAllText(conf, "\nshared_preload_libraries = 'pg_stat_statements'\npg_stat_statements.track_planning = on\n");
    if (statisticsAdded && IsRunning(cluster)
        && RunPostgresTool(cluster, "pg_ctl", $"restart -D \"{cluster.DataDir}\" -l \"{cluster.LogFile}\" -m fast -w -t 60", silent: true) != 0)
        throw new Exception($"PostgreSQL did not restart (log: {cluster.LogFile}).");
    if (!IsRunning(cluster))
    {
        if (RunPostgresTool(cluster, "pg_ctl", $"start -D \"{cluster.DataDir}\" -l \"{cluster.LogFile}\" -w -t 60", silent: true) != 0)
        {
            if (System.IO.File.Exists(cluster.LogFile))
                foreach (var line in System.IO.File.ReadLines(cluster.LogFile).TakeLast(15)) Error(line);
            throw new Exception($"PostgreSQL did not start (log: {cluster.LogFile}).");
        }
        Information($"Started the private PostgreSQL cluster on 127.0.0.1:{cluster.Port} (stop it with ./build.sh --target=Stop-Db).");
    }
    EnsureRoles(cluster);
    return cluster;
}

// ---------------------------------------------------------------------------------------------
// Test and Run
// ---------------------------------------------------------------------------------------------

Task("Test")
    .IsDependentOn("Build")
    .Does(() =>
{
    // The printed report's tests print it with Chromium and read the PDF with poppler; the staff console's tests drive it.
    EnsureChromium();
    var connections = DatabaseConnections();
    var resultsDir = $"{stateDir}/test-results";
    if (DirectoryExists(resultsDir)) DeleteDirectory(resultsDir, new DeleteDirectorySettings { Recursive = true, Force = true });
    Exception failure = null;
    try
    {
        DotNetTest(solution, new DotNetTestSettings
        {
            Configuration = configuration,
            NoBuild = true,
            NoRestore = true,
            ResultsDirectory = resultsDir,
            Loggers = new[] { "trx", "console;verbosity=normal" },
            Filter = string.IsNullOrEmpty(testFilter) ? null : testFilter,
            EnvironmentVariables = new Dictionary<string, string>
            {
                ["TIMEBANK_DB"] = connections.Service,
                ["TIMEBANK_DB_OWNER"] = connections.Owner,
                ["TIMEBANK_DB_SUPERUSER"] = connections.Superuser,
            },
        });
    }
    catch (Exception e) { failure = e; }
    var incomplete = PrintTestSummary(resultsDir);
    if (failure != null) throw failure;
    if (incomplete != null) throw new Exception(incomplete);
});

// Prints the closing count, and answers why the run cannot count as passed when it cannot: a test project that
// left no results (its run was killed or crashed) or a run that says it was aborted, whatever the exit code said.
string PrintTestSummary(string resultsDir)
{
    int passed = 0, failed = 0, skipped = 0;
    var trxFiles = GetFiles($"{resultsDir}/**/*.trx").ToList();
    var aborted = new List<string>();
    foreach (var trx in trxFiles)
    {
        var document = XDocument.Load(trx.FullPath);
        var summary = document.Descendants().FirstOrDefault(e => e.Name.LocalName == "ResultSummary");
        var outcome = (string)summary?.Attribute("outcome") ?? "";
        if (outcome is "Aborted" or "Error") aborted.Add(trx.GetFilename().FullPath);
        var counters = document.Descendants().FirstOrDefault(e => e.Name.LocalName == "Counters");
        if (counters == null) continue;
        passed += (int?)counters.Attribute("passed") ?? 0;
        failed += (int?)counters.Attribute("failed") ?? 0;
        skipped += (int?)counters.Attribute("notExecuted") ?? 0;
    }
    // A plain line, uncoloured, that a CI log reader recognises as the closing count.
    Console.WriteLine($"Tests: {passed} passed, {failed} failed, {skipped} skipped");
    var projects = GetFiles($"{root}/tests/*/*.csproj").Count(p => System.IO.File.ReadAllText(p.FullPath).Contains("Microsoft.NET.Test.Sdk"));
    if (trxFiles.Count < projects) return $"Only {trxFiles.Count} of the {projects} test projects left results: a test run was cut off.";
    if (aborted.Count > 0) return $"A test run was aborted: {string.Join(", ", aborted)}.";
    return null;
}

Task("Run")
    .IsDependentOn("Compile-Run")
    .Does(() =>
{
    var environment = ServiceEnvironment("Development");
    var service = StartAndReturnProcess("dotnet", new ProcessSettings
    {
        Arguments = $"run --no-build -c {configuration} --project \"{apiProject}\" -- --urls {ApiUrl}",
        WorkingDirectory = $"{root}/src/TimeBank.Api",
        EnvironmentVariables = environment,
    });
    if (!WaitUntilHealthy(TimeSpan.FromSeconds(60)))
    {
        service.Kill();
        throw new Exception("The service did not become healthy within 60 seconds.");
    }
    // A key for this run, made the way an operator makes the first admin key: the service's own command line.
    var key = IssueDeveloperKey(environment);
    Information($"TimeBank serves {ApiUrl}. API docs: {ApiUrl}/scalar/v1 (OpenAPI document: {ApiUrl}/openapi/v1.json). Ctrl+C stops it.");
    Information($"An admin key for all communities, to send as X-Api-Key: {key}");
    Information($"Staff console: {ApiUrl}/console (sign in with that key and the community minle; README: Staff console).");
    // The service answers meanwhile; a first load (the last closed quarter and the current one, about 31,000
    // services) takes about a minute. A load stopped halfway is finished here, and the days since are added.
    Information("Loading what is missing of the sample community 'minle'...");
    var loaded = StartProcess("dotnet", new ProcessSettings
    {
        Arguments = $"run --no-build -c {configuration} --project \"{sampleLoaderProject}\" -- {ApiUrl}",
        EnvironmentVariables = new Dictionary<string, string> { ["TIMEBANK_API_KEY"] = key },
    });
    if (loaded != 0) Warning("The sample community could not be loaded; the service runs on.");
    service.WaitForExit();
});

Task("Report-Screenshot")
    .Description("Prints a closed quarter's report of a sample community with headless Chromium: .timebank/report/*.html, *.pdf, *.png and the README's docs/report/*.png.")
    .IsDependentOn("Build")
    .Does(() =>
{
    var chromium = EnsureChromium();
    var environment = ServiceEnvironment("Development");
    const string url = "http://127.0.0.1:5081";
    // The built service itself, not `dotnet run`: one process, so stopping it stops the service.
    var service = StartAndReturnProcess("dotnet", new ProcessSettings
    {
        Arguments = $"\"{root}/src/TimeBank.Api/bin/{configuration}/net10.0/TimeBank.Api.dll\" --urls {url}",
        WorkingDirectory = $"{root}/src/TimeBank.Api",
        EnvironmentVariables = environment,
    });
    try
    {
        if (!WaitUntilHealthy(TimeSpan.FromSeconds(60), url)) throw new Exception("The service did not become healthy within 60 seconds.");
        var key = IssueDeveloperKey(environment);
        // The sample as Run loads it: the last closed quarter whole, and the current one to date.
        const string community = "report-demo";
        var loaded = StartProcess("dotnet", new ProcessSettings
        {
            Arguments = $"run --no-build -c {configuration} --project \"{sampleLoaderProject}\" -- {url} {community}",
            EnvironmentVariables = new Dictionary<string, string> { ["TIMEBANK_API_KEY"] = key },
        });
        if (loaded != 0) throw new Exception("The sample community could not be loaded.");

        var quarter = CloseLastQuarter(url, key, community);
        using var http = new System.Net.Http.HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Add("X-Api-Key", key);

        var folder = $"{stateDir}/report";
        var docs = $"{root}/docs/report";
        EnsureDirectoryExists(folder);
        EnsureDirectoryExists(docs);
        foreach (var lang in new[] { "zh", "en" })
        {
            var html = http.GetByteArrayAsync($"/api/v1/communities/{community}/reports/quarterly/{quarter}?format=html&lang={lang}").GetAwaiter().GetResult();
            var name = $"{folder}/{community}-{quarter}-{lang}";
            System.IO.File.WriteAllBytes($"{name}.html", html);
            // Printed as a clerk prints it: A4, the page's own header and footer (Chromium's off).
            var exit = StartProcess(chromium, new ProcessSettings
            {
                Arguments = $"--headless --no-sandbox --disable-gpu --user-data-dir=\"{folder}/chromium-profile\" --no-pdf-header-footer --print-to-pdf=\"{name}.pdf\" \"file://{name}.html\"",
            });
            if (exit != 0 || !System.IO.File.Exists($"{name}.pdf")) throw new Exception($"Chromium could not print {name}.html.");
            StartProcess("pdfinfo", new ProcessSettings { Arguments = $"\"{name}.pdf\"", RedirectStandardOutput = true }, out var info);
            var pages = int.Parse(info.First(l => l.StartsWith("Pages:")).Substring("Pages:".Length).Trim());
            // Every page as an image, and the first and last for the README.
            if (StartProcess("pdftoppm", $"-png -r 80 \"{name}.pdf\" \"{name}-page\"") != 0) throw new Exception($"pdftoppm could not render {name}.pdf.");
            var images = GetFiles($"{name}-page-*.png").OrderBy(f => f.FullPath).ToList();
            CopyFile(images.First(), $"{docs}/printed-{lang}-first-page.png");
            CopyFile(images.Last(), $"{docs}/printed-{lang}-last-page.png");
            Information($"Printed {name}.pdf: {pages} A4 pages");
        }
    }
    finally
    {
        service.Kill();
    }
});

Task("Console-Screenshots")
    .Description("Photographs the staff console's main pages, signed in with a key per role, with headless Chromium: docs/console/*.png.")
    .IsDependentOn("Build")
    .Does(() =>
{
    var chromium = EnsureChromium();
    var environment = ServiceEnvironment("Development");
    // The console's cookie keys for this run only: the pictures need no sign-in that outlives it.
    environment["Console__KeyRingDirectory"] = $"{stateDir}/console-screenshots-key-ring";
    const string url = "http://127.0.0.1:5084";
    var service = StartAndReturnProcess("dotnet", new ProcessSettings
    {
        Arguments = $"\"{serviceDll}\" --urls {url}",
        WorkingDirectory = $"{root}/src/TimeBank.Api",
        EnvironmentVariables = environment,
    });
    try
    {
        if (!WaitUntilHealthy(TimeSpan.FromSeconds(60), url)) throw new Exception("The service did not become healthy within 60 seconds.");
        var key = IssueDeveloperKey(environment);
        // The sample community with a whole closed quarter, as the office and the counter see it after a closing.
        const string community = "console-demo";
        var loaded = StartProcess("dotnet", new ProcessSettings
        {
            Arguments = $"run --no-build -c {configuration} --project \"{sampleLoaderProject}\" -- {url} {community} 150",
            EnvironmentVariables = new Dictionary<string, string> { ["TIMEBANK_API_KEY"] = key },
        });
        if (loaded != 0) throw new Exception("The sample community could not be loaded.");
        CloseLastQuarter(url, key, community);
        var shot = StartProcess("dotnet", new ProcessSettings
        {
            Arguments = $"run --no-build -c {configuration} --project \"{root}/tools/TimeBank.ConsoleScreenshots/TimeBank.ConsoleScreenshots.csproj\" -- {url} {key} {community} \"{root}/docs/console\"",
            EnvironmentVariables = new Dictionary<string, string> { ["CHROMIUM"] = chromium },
        });
        if (shot != 0) throw new Exception("The console could not be photographed.");
    }
    finally
    {
        service.Kill();
    }
});

/// <summary>Closes the quarter before today's in a community (waiting while the care views take in its last services); answers its code.</summary>
string CloseLastQuarter(string url, string key, string community)
{
    // The last quarter in the community's calendar (Asia/Shanghai), not the machine's.
    var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).Date;
    var lastQuarterStart = new DateTime(today.Year, ((today.Month - 1) / 3 * 3) + 1, 1).AddMonths(-3);
    var quarter = $"{lastQuarterStart.Year}Q{((lastQuarterStart.Month - 1) / 3) + 1}";
    using var http = new System.Net.Http.HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(2) };
    http.DefaultRequestHeaders.Add("X-Api-Key", key);
    for (var attempt = 0; ; attempt++)
    {
        // 409 with Retry-After while the care views take in the last services.
        var closing = http.PostAsync($"/api/v1/communities/{community}/quarters/{quarter}/closing",
            new System.Net.Http.StringContent("{\"recordedBy\":\"office-01\"}", Encoding.UTF8, "application/json")).GetAwaiter().GetResult();
        if (closing.IsSuccessStatusCode) return quarter;
        if ((int)closing.StatusCode != 409 || attempt > 60) throw new Exception($"Closing {quarter} answered {(int)closing.StatusCode}: {closing.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
        System.Threading.Thread.Sleep(1000);
    }
}

Task("Bench")
    .Description("Measures the built service, run as its own process, against pgbench on the same PostgreSQL: .timebank/bench/*.md.")
    .IsDependentOn("Build")
    .Does(() =>
{
    // The benchmark's own database work (pgbench, the data set) runs as the superuser; the service as the runtime role.
    var connectionString = DatabaseConnections().Superuser;
    // --scale=smoke runs every measurement in seconds on a tiny data set; county is the issue's million events.
    var scale = Argument("scale", "county");
    var exit = StartProcess("dotnet", new ProcessSettings
    {
        Arguments = $"\"{root}/tests/TimeBank.Bench/bin/{configuration}/net10.0/TimeBank.Bench.dll\" --db \"{connectionString}\" "
            + $"--service \"{root}/src/TimeBank.Api/bin/{configuration}/net10.0/TimeBank.Api.dll\" --scale {scale} --out \"{stateDir}/bench\"",
    });
    if (exit != 0) throw new Exception($"The benchmark failed with exit code {exit}.");
});

Task("Chaos")
    .Description("Crashes, a database outage, contention and hostile input against the built service as its own process: .timebank/chaos/*.md.")
    .IsDependentOn("Build")
    .Does(() =>
{
    // A cluster of its own, because the run stops and starts it; stopped again at the end, its data kept.
    var cluster = EnsurePrivateCluster("chaos-pg");
    // --scenarios=crash,outage runs only those.
    var scenarios = Argument("scenarios", "crash,outage,contention,hostile,nodes");
    try
    {
        var exit = StartProcess("dotnet", new ProcessSettings
        {
            Arguments = $"\"{root}/tests/TimeBank.Chaos/bin/{configuration}/net10.0/TimeBank.Chaos.dll\" --db \"Host=127.0.0.1;Port={cluster.Port};Database=timebank_chaos;Username=postgres\" "
                + $"--service \"{root}/src/TimeBank.Api/bin/{configuration}/net10.0/TimeBank.Api.dll\" --pg-bin \"{cluster.BinDir}\" --pg-data \"{cluster.DataDir}\" --out \"{stateDir}/chaos\" --scenarios {scenarios}",
        });
        if (exit != 0) throw new Exception($"The chaos run failed (exit code {exit}): see the table above.");
    }
    finally
    {
        if (IsRunning(cluster)) RunPostgresTool(cluster, "pg_ctl", $"stop -D \"{cluster.DataDir}\" -m fast -w", silent: true);
    }
});

/// <summary>
/// How the build runs the service: as the runtime role, the schema applied at start by the cluster's superuser as
/// owner (so a database made before the roles existed keeps working), with a checkpoint key of this clone.
/// </summary>
Dictionary<string, string> ServiceEnvironment(string environment)
{
    var connections = DatabaseConnections();
    var checkpointKey = $"{stateDir}/checkpoint-key.pem";
    if (!System.IO.File.Exists(checkpointKey))
    {
        var made = StartProcess("dotnet", new ProcessSettings
        {
            Arguments = $"\"{root}/src/TimeBank.Api/bin/{configuration}/net10.0/TimeBank.Api.dll\" audit checkpoint-key --out \"{checkpointKey}\"",
            EnvironmentVariables = new Dictionary<string, string> { ["TIMEBANK_DB"] = connections.Service },
        });
        if (made != 0) throw new Exception("Could not make a checkpoint key.");
    }
    return new Dictionary<string, string>
    {
        ["TIMEBANK_DB"] = connections.Service,
        ["TIMEBANK_DB_OWNER"] = string.IsNullOrEmpty(connections.Superuser) ? connections.Owner : connections.Superuser,
        ["TIMEBANK_CHECKPOINT_KEY_FILE"] = checkpointKey,
        // The staff console's cookie keys: a folder of this clone, so sign-ins outlive a restart of Run.
        ["Console__KeyRingDirectory"] = $"{stateDir}/console-key-ring",
        ["ASPNETCORE_ENVIRONMENT"] = environment,
    };
}

Task("Contract")
    .Description("The built service behind `prism proxy --errors`: the day's sample and representative calls through it, every violation reported (.timebank/contract/contract.md).")
    .IsDependentOn("Build")
    .Does(() =>
{
    // A database of its own beside the service's, so the run's communities never mix with the sample's.
    var connectionString = System.Text.RegularExpressions.Regex.Replace(DatabaseConnections().Superuser, "Database=[^;]*", "Database=timebank_contract");
    var exit = StartProcess("dotnet", new ProcessSettings
    {
        Arguments = $"\"{root}/tests/TimeBank.Contract/bin/{configuration}/net10.0/TimeBank.Contract.dll\" --db \"{connectionString}\" --service \"{serviceDll}\" "
            + $"--prism \"{contractTools}/node_modules/.bin/prism\" --document \"{openApiDocument}\" --out \"{stateDir}/contract\"",
    });
    if (exit != 0) throw new Exception($"Prism found violations of the OpenAPI document (exit code {exit}): see the table above.");
});

/// <summary>Node.js and npm for the contract tools: Debian's, installed as root when missing.</summary>
void EnsureNode()
{
    if (StartProcess("npm", new ProcessSettings { Arguments = "--version", Silent = true, RedirectStandardOutput = true }) == 0) return;
    if (!RunningAsRoot() || !System.IO.File.Exists("/etc/debian_version"))
        throw new Exception("Install Node.js 20 or later with npm to lint and check the OpenAPI document.");
    Information("Installing Debian's nodejs and npm.");
    if (StartProcess("apt-get", "update -q") != 0 || StartProcess("apt-get", "install -y -q --no-install-recommends nodejs npm") != 0)
        throw new Exception("apt-get could not install nodejs and npm.");
}

/// <summary>Debian's chromium and CJK fonts (so the Chinese labels render), installed as root when missing.</summary>
/// Debian's chromium, fonts-noto-cjk for the Chinese pages, and poppler-utils (pdfinfo, pdftotext, pdftoppm) to
/// read what it prints; installed as root when missing.
string EnsureChromium()
{
    var chromium = "/usr/bin/chromium";
    var fonts = System.IO.Directory.Exists("/usr/share/fonts/opentype/noto") || System.IO.Directory.Exists("/usr/share/fonts/truetype/noto-cjk");
    var poppler = System.IO.File.Exists("/usr/bin/pdfinfo") && System.IO.File.Exists("/usr/bin/pdftotext") && System.IO.File.Exists("/usr/bin/pdftoppm");
    if (System.IO.File.Exists(chromium) && fonts && poppler) return chromium;
    if (!RunningAsRoot() || !System.IO.File.Exists("/etc/debian_version"))
        throw new Exception("Install chromium, fonts-noto-cjk and poppler-utils (Debian packages) to print the report.");
    Information("Installing Debian's chromium, fonts-noto-cjk and poppler-utils.");
    if (StartProcess("apt-get", "update -q") != 0 || StartProcess("apt-get", "install -y -q --no-install-recommends chromium fonts-noto-cjk poppler-utils") != 0)
        throw new Exception("apt-get could not install chromium, fonts-noto-cjk and poppler-utils.");
    return chromium;
}

string IssueDeveloperKey(Dictionary<string, string> environment)
{
    var exit = StartProcess("dotnet", new ProcessSettings
    {
        Arguments = $"run --no-build -c {configuration} --project \"{apiProject}\" -- keys issue --partner developer --roles admin --communities * --rps 2000",
        WorkingDirectory = $"{root}/src/TimeBank.Api",
        EnvironmentVariables = environment,
        RedirectStandardOutput = true,
    }, out var output);
    var key = output.LastOrDefault(line => line.StartsWith("tb_"));
    if (exit != 0 || key == null) throw new Exception("Could not issue a key with the service's keys command.");
    return key.Trim();
}

bool WaitUntilHealthy(TimeSpan limit, string url = ApiUrl)
{
    using var http = new System.Net.Http.HttpClient { Timeout = TimeSpan.FromSeconds(2) };
    var until = DateTime.UtcNow + limit;
    while (DateTime.UtcNow < until)
    {
        try
        {
            if (http.GetAsync($"{url}/health").GetAwaiter().GetResult().IsSuccessStatusCode) return true;
        }
        catch (Exception) { /* not listening yet */ }
        System.Threading.Thread.Sleep(250);
    }
    return false;
}

RunTarget(target);
