using System.Diagnostics;
using Spectre.Console;
using Spectre.Console.Cli;
using TimeBank.Api.Audit;
using TimeBank.Api.Infrastructure.Settings;
using TimeBank.Api.Partners;
using TimeBank.Api.Reports;

namespace TimeBank.Api.Infrastructure;

/// <summary>
/// The service's command line. Without a command (or with ASP.NET Core's options such as <c>--urls</c>) it
/// serves; <c>keys</c>, <c>audit</c>, <c>report</c> and <c>--help</c> are parsed here (Spectre.Console.Cli,
/// strict: an unknown option or command is refused with exit code 2); Marten's and Wolverine's commands
/// (<c>codegen</c>, <c>db-apply</c>...) go to JasperFx as before. Help needs no database: the service is only
/// put together when a command runs.
/// </summary>
public static class CommandLine
{
    /// <summary>A command line that is not understood (unknown command or option, missing value).</summary>
    public const int UsageExitCode = 2;

    /// <summary>The commands Marten and Wolverine bring, listed in the help; JasperFx parses them.</summary>
    public static readonly IReadOnlyList<(string Name, string Description)> JasperFxCommands =
    [
        ("run", "Serve (the same as no command); JasperFx's options"),
        ("codegen", "Wolverine's generated handler code: codegen write | preview | test"),
        ("db-apply", "Apply all outstanding schema changes to the database"),
        ("db-assert", "Assert that the database matches the configuration"),
        ("db-dump", "Write the whole DDL of the event store"),
        ("db-list", "List the configured databases"),
        ("db-patch", "Write a patch (and drop) file for the schema differences"),
        ("describe", "Describe the application: its configuration, handlers and stores"),
        ("check-env", "Run the environment checks"),
        ("resources", "Check, set up or tear down stateful resources"),
        ("projections", "Async projections: run, rebuild"),
        ("marten", "Marten's repairs of event store projections"),
        ("storage", "Administer Wolverine's message storage"),
        ("clear-handled", "Clear persisted inbox messages marked handled"),
        ("event-query", "Query events across streams"),
        ("stream-query", "Query event stream metadata"),
        ("projection-run", "Replay a projection over a stream and show each event's before/after state"),
        ("openapi", "Write Wolverine's OpenAPI document"),
        ("capabilities", "Wolverine's capabilities"),
        ("describe-event-model", "Describe the event model"),
        ("event-model", "Write the event model as JSON"),
        ("scaffold", "Write skeletons for declared event model slices"),
        ("wolverine-diagnostics", "Wolverine's diagnostics of generated code and runtime"),
    ];

    /// <summary>Serving: no command, or only ASP.NET Core's own options (<c>--urls http://...</c>).</summary>
    public static bool Serves(string[] args) => args.Length == 0 || (args[0].StartsWith("--", StringComparison.Ordinal) && !IsHelp(args[0]));

    public static bool IsJasperFxCommand(string[] args) => args.Length > 0 && JasperFxCommands.Any(c => c.Name == args[0]);

    public static bool NoDatabaseConfigured(IConfiguration configuration) =>
        string.IsNullOrWhiteSpace(configuration[Database.DatabaseConnection.EnvironmentVariable]) && string.IsNullOrWhiteSpace(configuration.GetConnectionString("TimeBank"));

    private static bool IsHelp(string arg) => arg is "--help" or "-h" or "-?";

    /// <summary>Runs one of the service's own commands; <paramref name="services"/> puts the service together when first asked.</summary>
    public static async Task<int> RunAsync(string[] args, Func<IServiceProvider> services)
    {
        if (args is ["help", .. var about]) args = [.. about, "--help"];
        var host = new Lazy<IServiceProvider>(services);
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("TimeBank.Api");
            config.UseStrictParsing();
            config.SetExceptionHandler((exception, _) => Failed(exception));
            KeysCommand.Register(config, host);
            AuditCommand.Register(config, host);
            ReportCommand.Register(config, host);
            foreach (var (name, description) in JasperFxCommands)
            {
                // Listed for the help; a line starting with one of these never reaches this parser (Program.cs).
                config.AddDelegate<EmptyCommandSettings>(name, (_, _, _) => UsageExitCode).WithDescription($"{description} (JasperFx; {name} --help)");
            }
        });
        return await app.RunAsync(args);
    }

    private static int Failed(Exception exception)
    {
        switch (exception)
        {
            case CommandAppException usage:
                Console.Error.WriteLine(usage.Message);
                Console.Error.WriteLine("See TimeBank.Api --help.");
                return UsageExitCode;
            case InvalidSettingsException settings:
                Console.Error.WriteLine(settings.Message);
                return InvalidSettingsException.ExitCode;
            default:
                Console.Error.WriteLine($"The command failed: {exception.Message}");
                return 1;
        }
    }

    /// <summary>
    /// <c>--name value</c> pairs, for the benchmark's and the chaos run's own small command lines; null when the
    /// options are not such pairs (an odd count, or a value where a <c>--name</c> should be).
    /// </summary>
    public static Dictionary<string, string>? Flags(string[] options)
    {
        if (options.Length % 2 != 0) return null;
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Length; i += 2)
        {
            if (!options[i].StartsWith("--", StringComparison.Ordinal)) return null;
            flags[options[i][2..]] = options[i + 1];
        }

        return flags;
    }

    /// <summary>Writes why to standard error and answers the exit code of a failed command.</summary>
    public static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 1;
    }
}

/// <summary>
/// Progress of long work (a replay, a chain check, an export, a report): a bar on a terminal; on anything
/// else (a log, a pipe, systemd's journal) a line every few seconds and the work's own lines as they come.
/// </summary>
public sealed class WorkProgress
{
    private static readonly TimeSpan LineEvery = TimeSpan.FromSeconds(5);

    private readonly string _what;
    private readonly long? _total;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _done;
    private string? _latest;

    private WorkProgress(string what, long? total)
    {
        _what = what;
        _total = total;
    }

    /// <summary>How much is done so far (of the total, when it is known).</summary>
    public void Done(long done) => Interlocked.Exchange(ref _done, done);

    /// <summary>One more piece done, with what it was.</summary>
    public void Step(string line)
    {
        Interlocked.Increment(ref _done);
        Say(line);
    }

    /// <summary>What the work says meanwhile (the bar shows the latest; a log gets every line).</summary>
    public void Say(string line)
    {
        _latest = line;
        if (!Interactive) Console.WriteLine($"  {line}");
    }

    /// <summary>Reports on the work's own thread, in order (Progress&lt;T&gt; would post each report to the thread pool).</summary>
    public static IProgress<T> Reporter<T>(Action<T> report) => new InOrder<T>(report);

    private sealed class InOrder<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    private static bool Interactive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    public static async Task<T> RunAsync<T>(string what, long? total, Func<WorkProgress, Task<T>> work)
    {
        var progress = new WorkProgress(what, total);
        if (Interactive)
        {
            return await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(async display =>
                {
                    var task = display.AddTask(Markup.Escape(what), maxValue: Math.Max(1, total ?? 1));
                    task.IsIndeterminate = total is null;
                    var running = work(progress);
                    while (await Task.WhenAny(running, Task.Delay(200)) != running) progress.Show(task);
                    progress.Show(task);
                    task.StopTask();
                    return await running;
                });
        }

        var doing = work(progress);
        while (await Task.WhenAny(doing, Task.Delay(LineEvery)) != doing) Console.WriteLine(progress.Line());
        return await doing;
    }

    private void Show(ProgressTask task)
    {
        task.Value = Interlocked.Read(ref _done);
        var latest = _latest;
        task.Description = Markup.Escape(latest is null ? $"{_what}: {Interlocked.Read(ref _done):N0}" : $"{_what}: {latest}");
    }

    private string Line()
    {
        var done = Interlocked.Read(ref _done);
        var of = _total is { } total and > 0 ? $" of {total:N0} ({done * 100 / total}%)" : "";
        return $"{_what}: {done:N0}{of} after {_clock.Elapsed.TotalSeconds:0} s";
    }
}
