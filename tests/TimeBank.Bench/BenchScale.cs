namespace TimeBank.Bench;

/// <summary>How big a run is: the county the issue asks for, or the smoke run the test suite makes of every measurement.</summary>
/// <param name="Communities">Communities of the county data set, each the sample community (90 volunteers, 171 elders).</param>
/// <param name="Days">Days of the six-ones rhythm loaded into each community.</param>
/// <param name="ClientCounts">Concurrent clients for the baseline, the raw append and the HTTP deposits.</param>
/// <param name="Step">How long each load level runs.</param>
/// <param name="WarmUp">How long the HTTP deposits run, at the most clients, before any is counted (a young process is still compiling its hot code).</param>
/// <param name="BulkRecords">Services sent through the bulk import endpoint, in calls of <see cref="BulkBatch"/>.</param>
/// <param name="HistoryServices">The services of the long-serving volunteer whose deposits are compared with a newcomer's.</param>
/// <param name="CostSamples">Deposits measured one at a time for each of the two (round trips, statements, latency).</param>
/// <param name="ReplaysEverything">Replays the whole database (the county), or only the first community (the test database holds others).</param>
public sealed record BenchScale(
    string Name, int Communities, int Days, int[] ClientCounts, TimeSpan Step, TimeSpan WarmUp, int BulkRecords, int BulkBatch, int RedeemingClients, int Repeats, int HistoryServices, int CostSamples, bool ReplaysEverything)
{
    public static readonly BenchScale County = new("county", 10, 365, [1, 4, 16, 32], TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(30), 20_000, 2_000, 32, 3, HistoryServices: 5_000, CostSamples: 200, ReplaysEverything: true);

    public static readonly BenchScale Smoke = new("smoke", 1, 2, [1, 2], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), 60, 30, 4, 1, HistoryServices: 40, CostSamples: 4, ReplaysEverything: false);
}
