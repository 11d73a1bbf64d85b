using System.Collections.Concurrent;
using System.Diagnostics;
using TimeBank.Harness;

namespace TimeBank.Chaos.Scenarios;

/// <summary>
/// PostgreSQL stopped (immediate shutdown, as a crash) for about ten seconds under deposits from retrying
/// clients, then started again. While it is down the service answers 503 problems with Retry-After and its
/// health is unhealthy, never a 500 or internals; afterwards it serves again without being restarted, and
/// every acknowledged deposit is in the ledger exactly once.
/// </summary>
public static class DatabaseOutage
{
    public static async Task<ScenarioResult> RunAsync(ChaosRun run, TimeSpan outage)
    {
        var day = run.OpenQuarterStart;
        var community = await run.Ledger.NewCommunityAsync("chaos-outage", 8, day);
        var deposits = new ConcurrentDictionary<Guid, WriteOutcome>();
        var probes = new ConcurrentBag<(TimeSpan At, string What, int Status, bool RetryAfter, string? Type, string Body)>();
        var processBefore = run.Service.ProcessId;
        var clock = Stopwatch.StartNew();
        var loading = true;
        TimeSpan stoppedAt = default, restartedAt = default;

        Task Deposits(int worker) => run.RecordGreetingsWhileAsync(community, worker, day, () => loading, deposits, TimeSpan.FromSeconds(60));

        // Single attempts that are not retried, to see exactly what a client gets while the database is away.
        async Task Probe()
        {
            using var http = run.NewClient();
            while (loading)
            {
                foreach (var (what, path) in new[] { ("health", "/health"), ("read", $"/api/v1/communities/{community.Code}/volunteers/{community.People[0].Volunteer}/time-account") })
                {
                    try
                    {
                        using var response = await http.GetAsync(path);
                        probes.Add((clock.Elapsed, what, (int)response.StatusCode, response.Headers.RetryAfter is not null, response.Content.Headers.ContentType?.MediaType,
                            await response.Content.ReadAsStringAsync()));
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        probes.Add((clock.Elapsed, what, 0, false, null, e.GetType().Name));
                    }
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
        }

        async Task Outage()
        {
            await Task.Delay(TimeSpan.FromSeconds(4));
            await run.Cluster.StopAsync();
            stoppedAt = clock.Elapsed;
            run.Say("PostgreSQL stopped");
            await Task.Delay(outage);
            restartedAt = clock.Elapsed;
            await run.Cluster.StartAsync();
            run.Say("PostgreSQL started");
            await Task.Delay(TimeSpan.FromSeconds(10));
            loading = false;
        }

        await Task.WhenAll([.. Enumerable.Range(0, 8).Select(Deposits), Probe(), Outage()]);

        var failures = new List<string>();
        // From the moment the server is down until it is told to start.
        var during = probes.Where(p => p.At > stoppedAt && p.At < restartedAt - TimeSpan.FromSeconds(1)).ToList();
        if (!during.Any(p => p.What == "health" && p.Status == 503)) failures.Add("health never said unhealthy during the outage");
        var badDuring = during.Where(p => p.What == "read" && p.Status != 0 && (p.Status != 503 || !p.RetryAfter || p.Type != "application/problem+json")).ToList();
        if (badDuring.Count > 0) failures.Add($"{badDuring.Count} reads during the outage were not 503 problems with Retry-After, e.g. {badDuring[0].Status}: {Short(badDuring[0].Body)}");
        var leaking = probes.Where(p => p.Body.Contains("Npgsql", StringComparison.Ordinal) || p.Body.Contains("   at ", StringComparison.Ordinal)).ToList();
        if (leaking.Count > 0) failures.Add($"answers showed internals: {Short(leaking[0].Body)}");
        var recovered = probes.Where(p => p.At > restartedAt && p.What == "read" && p.Status == 200).Select(p => p.At - restartedAt).DefaultIfEmpty(TimeSpan.MaxValue).Min();
        if (recovered == TimeSpan.MaxValue) failures.Add("the service did not serve again after the database came back");
        if (run.Service.ProcessId != processBefore) failures.Add("the service process was restarted");

        var acknowledged = deposits.Where(d => d.Value.Acknowledged).Select(d => d.Key).ToList();
        var check = LedgerCheck.Compare(acknowledged, await LedgerCheck.CountByIdAsync(run.ConnectionString, community.Code, "service_recorded", "serviceId"));
        var refused = deposits.Values.Where(w => w.Status >= 400 && !w.Acknowledged).GroupBy(w => w.Code).Select(g => $"{g.Key ?? "?"}: {g.Count()}").ToList();
        if (refused.Count > 0) failures.Add($"deposits were refused: {string.Join(", ", refused)}");
        var unsettled = deposits.Values.Count(w => w.Status == 0);
        if (unsettled > 0) failures.Add($"{unsettled} deposits never got an answer that settled them");
        var attempts = deposits.Values.SelectMany(w => w.Attempts).Concat(probes.Select(p => p.Status)).ToList();
        return new ScenarioResult(
            "Database outage under load",
            attempts.Count,
            $"PostgreSQL down {outage.TotalSeconds:0} s",
            acknowledged.Count,
            check.Found,
            check.Lost,
            check.Duplicated,
            attempts.Count(s => s >= 500 && s != 503),
            failures,
            $"{attempts.Count(s => s == 503):#,0} answers were 503 with Retry-After; serving again {(recovered == TimeSpan.MaxValue ? "never" : $"{recovered.TotalSeconds:0.0} s")} after the database was back, same process");
    }

    private static string Short(string text) => text[..Math.Min(200, text.Length)];
}
