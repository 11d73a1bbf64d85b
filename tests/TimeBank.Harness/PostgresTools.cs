using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace TimeBank.Harness;

/// <summary>PostgreSQL's own programs (pgbench, pg_ctl), found on PATH or where Debian installs them.</summary>
public static partial class PostgresTools
{
    public static string Find(string tool)
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);
        if (onPath is not null) return onPath;
        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin", tool)).FirstOrDefault(File.Exists)
            : null;
        return debian ?? throw new FileNotFoundException($"PostgreSQL's {tool} was not found on PATH or under /usr/lib/postgresql.");
    }

    /// <summary>
    /// Runs a pgbench script with <paramref name="clients"/> connections for <paramref name="duration"/> and
    /// returns its transactions per second (without connection time).
    /// </summary>
    public static async Task<double> PgBenchAsync(string connectionString, string script, int clients, TimeSpan duration)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var scriptFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(scriptFile, script);
        try
        {
            var info = new ProcessStartInfo(Find("pgbench")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[]
            {
                "-h", target.Host ?? "127.0.0.1", "-p", target.Port.ToString(CultureInfo.InvariantCulture), "-U", target.Username ?? "postgres",
                "-n", "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", Math.Min(clients, Environment.ProcessorCount).ToString(CultureInfo.InvariantCulture),
                "-T", ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture), "-f", scriptFile, target.Database ?? "postgres",
            })
            {
                info.ArgumentList.Add(argument);
            }

            if (!string.IsNullOrEmpty(target.Password)) info.Environment["PGPASSWORD"] = target.Password;
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var match = Tps().Match(await output);
            return process.ExitCode == 0 && match.Success
                ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
                : throw new InvalidOperationException($"pgbench failed with exit code {process.ExitCode}: {await errors}");
        }
        finally
        {
            File.Delete(scriptFile);
        }
    }

    /// <summary>Drops the database a connection string names, closing whatever is connected to it.</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop database if exists {new NpgsqlCommandBuilder().QuoteIdentifier(target.Database!)} with (force)", connection);
        await drop.ExecuteNonQueryAsync();
        // Pooled connections to it were ended by the drop: the next open must not pick one of them.
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>
    /// Makes <paramref name="copy"/> anew as a copy of the source database, and answers the connection string to it.
    /// Nobody may be connected to the source meanwhile. PostgreSQL copies the database's files (seconds, however many
    /// rows) between two checkpoints: its default since version 15 writes the whole copy through the WAL instead, and
    /// the checkpoints that gigabytes of WAL bring on then ran through the measurements that followed (a p99 of 257 ms
    /// where the run before had 74).
    /// </summary>
    public static async Task<string> CopyDatabaseAsync(string sourceConnectionString, string copy)
    {
        var target = new NpgsqlConnectionStringBuilder(sourceConnectionString) { Database = copy }.ConnectionString;
        await DropDatabaseAsync(target);
        var quote = new NpgsqlCommandBuilder();
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(sourceConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand(
            $"create database {quote.QuoteIdentifier(copy)} template {quote.QuoteIdentifier(new NpgsqlConnectionStringBuilder(sourceConnectionString).Database!)}"
            + (connection.PostgreSqlVersion.Major >= 15 ? " strategy file_copy" : ""), connection);
        // This process's own idle connections to the source go first; a service just stopped may still be ending its.
        NpgsqlConnection.ClearAllPools();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await create.ExecuteNonQueryAsync();
                return target;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 30)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex Tps();
}

/// <summary>
/// A PostgreSQL cluster this run may stop and start (the build's private one): through pg_ctl, as the
/// cluster's owner 'postgres' when running as root.
/// </summary>
public sealed class PostgresCluster(string binDirectory, string dataDirectory)
{
    public Task StopAsync() => PgCtlAsync("stop", "-D", dataDirectory, "-m", "immediate", "-w");

    public Task StartAsync() => PgCtlAsync("start", "-D", dataDirectory, "-l", Path.Combine(dataDirectory, "server.log"), "-w", "-t", "60");

    private async Task PgCtlAsync(params string[] arguments)
    {
        var pgCtl = Path.Combine(binDirectory, "pg_ctl");
        var asRoot = Environment.UserName == "root";
        var info = new ProcessStartInfo(asRoot ? "runuser" : pgCtl) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (asRoot)
        {
            foreach (var argument in new[] { "-u", "postgres", "--", pgCtl }) info.ArgumentList.Add(argument);
        }

        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"pg_ctl {arguments[0]} failed: {await errors}");
    }
}

/// <summary>
/// A PostgreSQL cluster made for one test and thrown away after it, in a temporary folder on a free port of
/// 127.0.0.1: a test may stop it (the database going away) without touching the cluster every other test uses.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    private readonly string _folder;

    private ThrowawayPostgres(string folder, int port)
    {
        _folder = folder;
        Port = port;
        Cluster = new PostgresCluster(Path.GetDirectoryName(PostgresTools.Find("pg_ctl"))!, folder);
    }

    public int Port { get; }

    public PostgresCluster Cluster { get; }

    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Database={database};Username=postgres;Pooling=true";

    public static async Task<ThrowawayPostgres> StartAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"timebank-throwaway-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var asRoot = Environment.UserName == "root";
        if (asRoot) await RunAsync("chown", "postgres:", folder);
        var initdb = PostgresTools.Find("initdb");
        await (asRoot ? RunAsync("runuser", "-u", "postgres", "--", initdb, "-D", folder, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale")
            : RunAsync(initdb, "-D", folder, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale"));
        var port = FreePort();
        await File.AppendAllTextAsync(Path.Combine(folder, "postgresql.conf"),
            $"\nlisten_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = ''\nmax_connections = 50\nfsync = off\n");
        var postgres = new ThrowawayPostgres(folder, port);
        await postgres.Cluster.StartAsync();
        return postgres;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Cluster.StopAsync();
        }
        catch (InvalidOperationException)
        {
            // Already stopped by the test.
        }

        Directory.Delete(_folder, recursive: true);
    }

    public static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} failed: {await errors}");
    }
}
