using System.Globalization;
using Npgsql;
using TimeBank.Api.Infrastructure;
using TimeBank.Chaos.Scenarios;
using TimeBank.Domain.Partners;
using TimeBank.Harness;

namespace TimeBank.Chaos;

/// <summary>
/// <c>./build.sh --target=Chaos</c> runs it on a PostgreSQL cluster of its own, which it stops and starts:
/// <c>TimeBank.Chaos --db &lt;connection string&gt; --service &lt;TimeBank.Api.dll&gt; --pg-bin &lt;folder&gt; --pg-data &lt;folder&gt;
/// [--out &lt;folder&gt;] [--port &lt;n&gt;] [--scenarios crash,outage,contention,hostile,nodes]</c>. Exit code 1 when any scenario fails.
/// </summary>
public static class ChaosProgram
{
    public static async Task<int> Main(string[] args)
    {
        const string usage = "Usage: TimeBank.Chaos --db <connection string> --service <TimeBank.Api.dll> --pg-bin <folder> --pg-data <folder> [--out <folder>] [--port <n>] [--scenarios crash,outage,contention,hostile,nodes]";
        var flags = CommandLine.Flags(args);
        if (flags is null || !flags.TryGetValue("db", out var server) || !flags.TryGetValue("service", out var serviceDll)
            || !flags.TryGetValue("pg-bin", out var pgBin) || !flags.TryGetValue("pg-data", out var pgData))
        {
            return CommandLine.Fail(usage);
        }

        var output = Path.GetFullPath(flags.GetValueOrDefault("out", ".timebank/chaos"));
        var port = int.Parse(flags.GetValueOrDefault("port", "5083"), CultureInfo.InvariantCulture);
        Directory.CreateDirectory(output);

        // A database made anew for each run: the scenarios count what is in it.
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = "timebank_chaos" }.ConnectionString;
        await PostgresTools.DropDatabaseAsync(connectionString);
        await using var service = new ServiceProcess(serviceDll, connectionString, port, Path.Combine(output, "service.log"));
        await service.StartAsync(TimeSpan.FromSeconds(120));
        var key = await service.IssueKeyAsync("chaos", "admin,recorder,store,reader,auditor", PartnerKey.MaxRequestsPerSecond);
        var run = new ChaosRun(service, new PostgresCluster(pgBin, pgData), connectionString, key, Console.Out);

        var results = new List<ScenarioResult>();
        async Task Scenario(string name, Func<Task<ScenarioResult>> scenario)
        {
            run.Say($"{name}...");
            var result = await scenario();
            results.Add(result);
            run.Say($"{name}: {(result.Passed ? "pass" : "FAIL")}. {result.Notes}");
            foreach (var failure in result.Failures) run.Say($"  {failure}");
        }

        var chosen = flags.GetValueOrDefault("scenarios", "crash,outage,contention,hostile,nodes").Split(',');
        if (chosen.Contains("crash")) await Scenario("crash", () => Crash.RunAsync(run, TimeSpan.FromSeconds(40), kills: 5));
        if (chosen.Contains("outage")) await Scenario("database outage", () => DatabaseOutage.RunAsync(run, TimeSpan.FromSeconds(10)));
        if (chosen.Contains("contention")) await Scenario("contention", () => Contention.RunAsync(run, orders: 300, requests: 100));
        if (chosen.Contains("hostile")) await Scenario("hostile input", () => HostileInput.RunAsync(run));
        // Last: it leaves a second node's record behind for Wolverine to eject.
        if (chosen.Contains("nodes")) await Scenario("two nodes", () => TwoNodes.RunAsync(run, port + 1, Path.Combine(output, "service-2.log")));

        var table = new MarkdownTable("Scenario", "Requests sent", "Faults injected", "Acknowledged writes", "Writes found", "Lost", "Duplicated", "5xx", "Result", "Notes");
        foreach (var result in results) table.Add(result.Cells());
        var markdown = $"Chaos run of {DateTime.Now.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} ({Environment.ProcessorCount} cores, the service and PostgreSQL on this machine).\n\n{table}";
        var file = Path.Combine(output, $"chaos-{DateTime.Now:yyyyMMdd-HHmm}.md");
        await File.WriteAllTextAsync(file, markdown);
        Console.WriteLine();
        Console.WriteLine(markdown);
        Console.WriteLine($"Written to {file}");
        return results.All(r => r.Passed) ? 0 : 1;
    }
}
