namespace TimeBank.Bench;

/// <summary>How big a run is: the county the issue asks for, or the smoke run the test suite makes of every measurement.</summary>
/// <param name="Communities">Communities of the county data set, each the sample community (90 volunteers, 171 elders).</param>
/// <param name="Days">Days of the six-ones rhythm loaded into each community.</param>
/// <param name="ClientCounts">Concurrent clients for the baseline, the raw append and the HTTP deposits.</param>
/// <param name="Step">How long each load level runs.</param>
/// <param name="WarmUp">How the HTTP deposits are sent, at the most clients, before any is counted: a young process is still compiling its hot code.</param>
/// <param name="BulkRecords">Services sent through the bulk import endpoint, in calls of <see cref="BulkBatch"/>.</param>
/// <param name="HistoryServices">The services of the long-serving volunteer whose deposits are compared with a newcomer's.</param>
/// <param name="CostSamples">Deposits measured one at a time for each of the two (round trips, statements, latency).</param>
/// <param name="ReplaysEverything">Replays the whole database (the county), or only the first community (the test database holds others).</param>
public sealed record BenchScale(
    string Name, int Communities, int Days, int[] ClientCounts, TimeSpan Step, WarmUp WarmUp, int BulkRecords, int BulkBatch, int RedeemingClients, int Repeats, int HistoryServices, int CostSamples, bool ReplaysEverything)
{
    public static readonly BenchScale County = new("county", 10, 365, [1, 4, 16, 32], TimeSpan.FromSeconds(8), new WarmUp(TimeSpan.FromSeconds(10), AtLeast: TimeSpan.FromSeconds(60), AtMost: TimeSpan.FromSeconds(180)), 20_000, 2_000, 32, 3, HistoryServices: 5_000, CostSamples: 200, ReplaysEverything: true);

    public static readonly BenchScale Smoke = new("smoke", 1, 2, [1, 2], TimeSpan.FromSeconds(1), new WarmUp(TimeSpan.FromSeconds(1), AtLeast: TimeSpan.FromSeconds(1), AtMost: TimeSpan.FromSeconds(2)), 60, 30, 4, 1, HistoryServices: 40, CostSamples: 4, ReplaysEverything: false);
}

/// <summary>
/// Rounds of uncounted load until the throughput stops rising: after <paramref name="AtLeast"/>, two rounds in a
/// row that do not beat the best round before them by 5% end it, and <paramref name="AtMost"/> bounds it. On this
/// machine a fresh instance at 16 clients took about 75 s to settle (15 s rounds: 293, 335, 420, 478, 579, 644,
/// 592, 621 deposits/s), its own CPU a deposit falling from 2.9 to 1.1 ms while PostgreSQL's stayed near 1.8 ms:
/// the runtime recompiling hot code with what it has observed (tiered compilation, dynamic PGO).
/// </summary>
public sealed record WarmUp(TimeSpan Round, TimeSpan AtLeast, TimeSpan AtMost)
{
    public const double Gain = 1.05;

    /// <summary>Whether the rounds so far (throughputs, oldest first) are warm enough, or as long as allowed.</summary>
    public bool IsOver(IReadOnlyList<double> rounds)
    {
        var elapsed = Round * rounds.Count;
        if (elapsed >= AtMost) return true;
        if (elapsed < AtLeast || rounds.Count < 3) return false;
        var best = rounds.Take(rounds.Count - 2).Max();
        return rounds.TakeLast(2).All(r => r < best * Gain);
    }
}
