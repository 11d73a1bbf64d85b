using System.Globalization;
using Npgsql;
using TimeBank.Api.Infrastructure;
using TimeBank.Domain.Partners;
using TimeBank.Harness;

namespace TimeBank.Bench;

/// <summary>
/// <c>./build.sh --target=Bench</c> runs it: <c>TimeBank.Bench --db &lt;connection string&gt; --service &lt;TimeBank.Api.dll&gt;
/// [--scale county|smoke] [--out &lt;folder&gt;] [--port &lt;n&gt;]</c>. It measures in a database of its own on the given
/// server (<c>timebank_bench</c>), which keeps the county data set between runs.
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

        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = $"timebank_bench{(scale == BenchScale.County ? "" : "_" + scale.Name)}" }.ConnectionString;
        var county = $"bench-{scale.Name}";
        if (!await CountyDataSet.IsReadyAsync(connectionString, scale, county))
        {
            // A data set that is not marked complete may be half loaded: start from an empty database.
            await PostgresTools.DropDatabaseAsync(connectionString);
        }

        await using var service = new ServiceProcess(serviceDll, connectionString, port, Path.Combine(output, "service.log"));
        await service.StartAsync(TimeSpan.FromSeconds(120));
        var key = await service.IssueKeyAsync("bench", "admin,recorder,store,reader,auditor", PartnerKey.MaxRequestsPerSecond);
        var run = new BenchRun(service, key, connectionString, scale, DateTimeOffset.Now, county, Console.Out);
        var outcome = await Benchmark.RunAsync(run);

        var file = Path.Combine(output, $"bench-{DateTime.Now:yyyyMMdd-HHmm}.md");
        await File.WriteAllTextAsync(file, outcome.Markdown);
        Console.WriteLine();
        Console.WriteLine(outcome.Markdown);
        Console.WriteLine($"Written to {file}");
        return 0;
    }
}
