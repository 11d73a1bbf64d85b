using System.Diagnostics;

namespace TimeBank.Api.Tests.Operations;

/// <summary>The service as the build left it (src/TimeBank.Api/bin/...), run as a program of its own.</summary>
public static class BuiltService
{
    public static string Repository { get; } = FindRepository();

    /// <summary>Release or Debug: the folder above the tests' own net10.0.</summary>
    public static string Configuration { get; } = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)))!;

    /// <summary>The service's own output folder, in the configuration these tests were built in.</summary>
    public static string Folder { get; } = Path.Combine(Repository, "src", "TimeBank.Api", "bin", Configuration, "net10.0");

    public static string Dll => Path.Combine(Folder, "TimeBank.Api.dll");

    /// <summary>Runs <c>dotnet TimeBank.Api.dll args</c> to its end with only <paramref name="environment"/> set of the service's settings.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var process = Start(environment, args);
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await output, await errors);
    }

    /// <summary>Starts <c>dotnet TimeBank.Api.dll args</c> with only <paramref name="environment"/> set of the service's settings; its output is redirected.</summary>
    public static Process Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetTempPath(), UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Dll);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        // The test run's own database setting must not leak in: "no database" means none.
        info.Environment.Remove("TIMEBANK_DB");
        info.Environment.Remove("TIMEBANK_DB_OWNER");
        info.Environment.Remove("ConnectionStrings__TimeBank");
        foreach (var (name, value) in environment) info.Environment[name] = value;
        return Process.Start(info)!;
    }

    private static string FindRepository()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "TimeBank.sln"))) return folder.FullName;
        }

        throw new InvalidOperationException("The tests run outside the repository.");
    }
}
