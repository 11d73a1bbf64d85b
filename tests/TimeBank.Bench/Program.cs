using System.Globalization;
using Npgsql;
using TimeBank.Api.Infrastructure;
using TimeBank.Domain.Partners;
using TimeBank.Harness;

namespace TimeBank.Bench;

/// <summary>
/// <c>./build.sh --target=Bench</c> runs it: <c>TimeBank.Bench --db &lt;connection string&gt; --service &lt;TimeBank.Api.dll&gt;
/// [--scale county|smoke] [--out &lt;folder&gt;] [--port &lt;n&gt;]</c>. The county data set is kept between runs in a
/// database of its own on the given server (<c>timebank_bench</c>); each run measures in a copy of it made for the run
/// and dropped after (<c>timebank_bench_run</c>).
/// </summary>
public static class BenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        const string usage = "Usage: TimeBank.Bench --db <connection string> --service <TimeBank.Api.dll> [--scale county|smoke] [--out <folder>] [--port <n>]";
        var flags = CommandLine.Flags(args);
        if (flags is null || !flags.TryGetValue("db", out var server) || !flags.TryGetValue("service", out var serviceDll)) return CommandLine.Fail(usage);
        var scale = flags.GetValueOrDefault("scale", "county") switch
        {
            "county" => BenchScale.County,
            "smoke" => BenchScale.Smoke,
            _ => null,
        };
        if (scale is null) return CommandLine.Fail(usage);
        var output = Path.GetFullPath(flags.GetValueOrDefault("out", ".timebank/bench"));
        var port = int.Parse(flags.GetValueOrDefault("port", "5082"), CultureInfo.InvariantCulture);
        Directory.CreateDirectory(output);

        var keptDataSet = new NpgsqlConnectionStringBuilder(server) { Database = $"timebank_bench{(scale == BenchScale.County ? "" : "_" + scale.Name)}" }.ConnectionString;
        var county = $"bench-{scale.Name}";
        var serviceLog = Path.Combine(output, "service.log");
        if (!await CountyDataSet.IsReadyAsync(keptDataSet, scale, county))
        {
            // A data set that is not marked complete may be half loaded: start from an empty database.
            await PostgresTools.DropDatabaseAsync(keptDataSet);
            await using var loader = new ServiceProcess(serviceDll, keptDataSet, port, serviceLog);
            await CountyDataSet.EnsureAsync(await StartAsync(loader, keptDataSet, "bench-load"), parallelLoads: 3);
        }

        // Every run measures in a copy of the kept data set, so that each starts from the same ledger: what one run
        // writes (its deposits, imports and exchanges) never weighs on the next one's figures.
        var connectionString = await PostgresTools.CopyDatabaseAsync(keptDataSet, new NpgsqlConnectionStringBuilder(keptDataSet).Database + "_run");
        Benchmark.Outcome outcome;
        try
        {
            await using var service = new ServiceProcess(serviceDll, connectionString, port, serviceLog);
            outcome = await Benchmark.RunAsync(await StartAsync(service, connectionString, "bench"));
        }
        finally
        {
            await PostgresTools.DropDatabaseAsync(connectionString);
        }

        // Starts an instance and gives it a key of every role at the highest rate: a measurer must not meet its own limit.
        async Task<BenchRun> StartAsync(ServiceProcess instance, string database, string partner)
        {
            await instance.StartAsync(TimeSpan.FromSeconds(120));
            var key = await instance.IssueKeyAsync(partner, "admin,recorder,store,reader,auditor", PartnerKey.MaxRequestsPerSecond);
            return new BenchRun(instance, key, database, scale, DateTimeOffset.Now, county, Console.Out);
        }

        var file = Path.Combine(output, $"bench-{DateTime.Now:yyyyMMdd-HHmm}.md");
        await File.WriteAllTextAsync(file, outcome.Markdown);
        Console.WriteLine();
        Console.WriteLine(outcome.Markdown);
        Console.WriteLine($"Written to {file}");
        return 0;
    }
}
