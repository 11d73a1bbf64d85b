using System.Diagnostics;
using TimeBank.Harness;

namespace TimeBank.Api.Tests.Operations;

/// <summary>
/// The published service started the way its systemd unit starts it (deploy/run-as-unit.sh reads the unit),
/// on a PostgreSQL cluster of this test's own, which the test then stops: the node stays live and stops being
/// ready. The shared test cluster is never touched.
/// </summary>
[NonParallelizable]
public class DeploymentTests
{
    [Test]
    public async Task the_published_service_runs_as_its_unit_says_and_is_live_but_not_ready_without_its_database()
    {
        await using var postgres = await ThrowawayPostgres.StartAsync();
        var published = Path.Combine(Path.GetTempPath(), $"timebank-published-{Guid.NewGuid():N}");
        try
        {
            // The layout the README documents: dotnet publish of the service, nothing else.
            var publish = await RunAsync("dotnet", BuiltService.Repository, "publish", "src/TimeBank.Api/TimeBank.Api.csproj",
                "-c", BuiltService.Configuration, "--no-build", "-o", published);
            Assert.That(publish, Is.EqualTo(0), "dotnet publish failed");
            Assert.That(File.Exists(Path.Combine(published, "appsettings.json")), "appsettings.json is published beside the service");

            var environmentFile = Path.Combine(published, "test.env");
            await File.WriteAllTextAsync(environmentFile, $"""
                # as /etc/timebank/timebank.env would be
                TIMEBANK_DB={postgres.ConnectionString("timebank")}
                # the throwaway cluster has only its superuser: it applies the schema too, and may serve here
                TIMEBANK_DB_OWNER={postgres.ConnectionString("timebank")}
                TIMEBANK_DB_ALLOW_SUPERUSER=true
                Health__AsyncViewPollSeconds=1
                """);
            var port = ThrowawayPostgres.FreePort();
            var script = Path.Combine(BuiltService.Repository, "deploy", "run-as-unit.sh");
            var start = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { script, published, environmentFile, $"{port}" }) start.ArgumentList.Add(argument);
            start.Environment.Remove("TIMEBANK_DB");
            using var service = Process.Start(start)!;
            var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
            service.OutputDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
            service.ErrorDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
            service.BeginOutputReadLine();
            service.BeginErrorReadLine();
            try
            {
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
                Assert.That(await StatusWithinAsync(http, "/health/ready", HttpStatusCode.OK, TimeSpan.FromSeconds(90), service), Is.EqualTo(HttpStatusCode.OK),
                    string.Join('\n', log));
                Assert.That((await http.GetAsync("/health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That((await http.GetAsync("/health")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

                // A read refused (no partner key: a 401 problem), with the caller's correlation id echoed.
                var read = new HttpRequestMessage(HttpMethod.Get, "/api/v1/communities/nowhere");
                read.Headers.Add("X-Correlation-Id", "deployment-check-1");
                var answer = await http.SendAsync(read);
                Assert.That(answer.Headers.GetValues("X-Correlation-Id"), Is.EqualTo(new[] { "deployment-check-1" }));

                var metrics = await http.GetStringAsync("/metrics");
                Assert.That(metrics, Does.Contain("http_server_request_duration_seconds_bucket"));
                Assert.That(metrics, Does.Contain("db_client_"), "Npgsql's connection and command figures");
                Assert.That(metrics, Does.Match("timebank_refusals_total\\{[^}]*code=\"missing-api-key\"[^}]*\\} 1\\b"), "the one refusal, by its code");

                await postgres.Cluster.StopAsync();

                Assert.That(await StatusWithinAsync(http, "/health/ready", HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(30), service),
                    Is.EqualTo(HttpStatusCode.ServiceUnavailable));
                Assert.That((await http.GetAsync("/health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That((await http.GetAsync("/health")).StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            }
            finally
            {
                if (!service.HasExited)
                {
                    // As systemd stops it: SIGTERM to the process the script exec'd into.
                    using var term = Process.Start("kill", ["-TERM", $"{service.Id}"]);
                    await term.WaitForExitAsync();
                    using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(45));
                    try
                    {
                        await service.WaitForExitAsync(grace.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        service.Kill(entireProcessTree: true);
                    }
                }
            }
        }
        finally
        {
            if (Directory.Exists(published)) Directory.Delete(published, recursive: true);
        }
    }

    private static async Task<HttpStatusCode?> StatusWithinAsync(HttpClient http, string path, HttpStatusCode wanted, TimeSpan limit, Process service)
    {
        HttpStatusCode? last = null;
        var until = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < until && !service.HasExited)
        {
            try
            {
                last = (await http.GetAsync(path)).StatusCode;
                if (last == wanted) return last;
            }
            catch (HttpRequestException) { /* not listening yet */ }
            catch (TaskCanceledException) { /* slow answer */ }
            await Task.Delay(250);
        }

        return last;
    }

    private static async Task<int> RunAsync(string program, string folder, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { WorkingDirectory = folder, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) TestContext.Out.WriteLine(await output + await errors);
        return process.ExitCode;
    }
}
