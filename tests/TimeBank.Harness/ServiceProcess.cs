using System.Diagnostics;
using System.Globalization;

namespace TimeBank.Harness;

/// <summary>
/// The built service (<c>TimeBank.Api.dll</c>) run as a process of its own on 127.0.0.1, as it runs in
/// production: so that it can be killed, restarted and measured from outside. Its console goes to a log file.
/// </summary>
public sealed class ServiceProcess : IServiceUnderTest, IAsyncDisposable
{
    private readonly string _serviceDll;
    private readonly string _connectionString;
    private readonly string _logFile;
    private Process? _process;
    private StreamWriter? _log;

    public ServiceProcess(string serviceDll, string connectionString, int port, string logFile)
    {
        _serviceDll = Path.GetFullPath(serviceDll);
        _connectionString = connectionString;
        _logFile = logFile;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    /// <summary>Another node of the same service on the same database, listening on <paramref name="port"/>.</summary>
    public ServiceProcess Sibling(int port, string logFile) => new(_serviceDll, _connectionString, port, logFile);

    public async Task<SeparateService> StartSeparateAsync(string connectionString)
    {
        var separate = new ServiceProcess(_serviceDll, connectionString, ThrowawayPostgres.FreePort(), Path.ChangeExtension(_logFile, ".separate.log"));
        await separate.StartAsync(TimeSpan.FromSeconds(120));
        // The highest rate a key may have: a measurer must not meet its own limit.
        var key = await separate.IssueKeyAsync("measurer", "admin", 10_000);
        return new SeparateService(separate.NewClient(key), separate.Memory, separate.DisposeAsync);
    }

    /// <summary>The role the service connects as (made by the build in its clusters: README, Security).</summary>
    public const string RuntimeRole = "timebank_service";

    public Uri BaseAddress { get; }

    public int? ProcessId => _process is { HasExited: false } ? _process.Id : null;

    /// <summary>Starts the service and waits until its health endpoint answers.</summary>
    public async Task StartAsync(TimeSpan limit, CancellationToken cancellation = default)
    {
        if (_process is { HasExited: false }) throw new InvalidOperationException("The service is already running.");
        _log ??= new StreamWriter(_logFile, append: true) { AutoFlush = true };
        var start = Info(_serviceDll, "--urls", BaseAddress.ToString().TrimEnd('/'));
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        _process = Process.Start(start) ?? throw new InvalidOperationException("The service did not start.");
        _process.OutputDataReceived += (_, e) => Write(e.Data);
        _process.ErrorDataReceived += (_, e) => Write(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < until)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The service exited with code {_process.ExitCode} while starting (log: {_logFile}).");
            try
            {
                if ((await http.GetAsync("/health", cancellation)).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { /* not listening yet */ }
            catch (TaskCanceledException) when (!cancellation.IsCancellationRequested) { /* slow first answer */ }
            await Task.Delay(200, cancellation);
        }

        throw new TimeoutException($"The service was not healthy within {limit.TotalSeconds:0} s (log: {_logFile}).");
    }

    /// <summary>kill -9: no shutdown hooks, no flushing, as when a machine loses power.</summary>
    public void KillHard()
    {
        if (_process is not { HasExited: false } process) return;
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    /// <summary>Issues a key with the service's own <c>keys issue</c> command, as an operator makes the first admin key.</summary>
    public async Task<string> IssueKeyAsync(string partner, string roles, int requestsPerSecond)
    {
        var issue = Info(_serviceDll, "keys", "issue", "--partner", partner, "--roles", roles, "--communities", "*", "--rps",
            requestsPerSecond.ToString(CultureInfo.InvariantCulture));
        issue.RedirectStandardOutput = true;
        issue.RedirectStandardError = true;
        using var process = Process.Start(issue)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        Write(await process.StandardError.ReadToEndAsync());
        await process.WaitForExitAsync();
        var key = output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith("tb_", StringComparison.Ordinal));
        return process.ExitCode == 0 && key is not null ? key : throw new InvalidOperationException($"keys issue failed with exit code {process.ExitCode} (log: {_logFile}).");
    }

    public HttpClient NewClient(string apiKey)
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return http;
    }

    public ProcessMemory Memory => new(ProcessId ?? throw new InvalidOperationException("The service is not running."));

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        if (_log is not null) await _log.DisposeAsync();
    }

    private ProcessStartInfo Info(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(_serviceDll)!, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        // As in production: the runtime role the build makes in its clusters, the schema applied by the given owner.
        info.Environment["TIMEBANK_DB"] = new Npgsql.NpgsqlConnectionStringBuilder(_connectionString) { Username = RuntimeRole }.ConnectionString;
        info.Environment["TIMEBANK_DB_OWNER"] = _connectionString;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        return info;
    }

    private void Write(string? line)
    {
        if (string.IsNullOrEmpty(line)) return;
        lock (_logFile) _log?.WriteLine(line);
    }
}
