using System.Diagnostics;

namespace TimeBank.Harness;

/// <summary>
/// Load from N workers, for a while or until they have no more to send. Closed (the default): each worker
/// sends its next request as soon as the last is answered, which finds the peak. Paced: the workers together
/// send <c>perSecond</c> requests on a fixed schedule, and a latency counts from when the request was due,
/// so a stalled service shows in the latencies instead of slowing the load down (coordinated omission).
/// Every answer's status and latency are kept; a request that gets no answer (refused, reset, timed out)
/// counts as status 0.
/// </summary>
public static class LoadGenerator
{
    /// <param name="send">Sends request number <c>iteration</c> of <c>worker</c> and returns its HTTP status, or null when the worker is done.</param>
    public static async Task<LoadResult> RunAsync(
        int workers, TimeSpan duration, Func<int, int, Task<int?>> send, double? perSecond = null, CancellationToken cancellation = default)
    {
        var statuses = new List<int>[workers];
        var latencies = new List<long>[workers];
        var clockStart = Stopwatch.GetTimestamp();
        var clock = Stopwatch.StartNew();
        var until = duration;

        async Task Work(int worker)
        {
            statuses[worker] = [];
            latencies[worker] = [];
            for (var iteration = 0; clock.Elapsed < until && !cancellation.IsCancellationRequested; iteration++)
            {
                var started = Stopwatch.GetTimestamp();
                if (perSecond is { } rate)
                {
                    var due = TimeSpan.FromSeconds(((double)iteration * workers + worker) / rate);
                    if (due >= until) return;
                    if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed, CancellationToken.None);
                    started = clockStart + (long)(due.TotalSeconds * Stopwatch.Frequency);
                }

                int? status;
                try
                {
                    status = await send(worker, iteration);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    status = 0;
                }

                if (status is null) return;
                latencies[worker].Add(Stopwatch.GetTimestamp() - started);
                statuses[worker].Add(status.Value);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(() => Work(w), CancellationToken.None)));
        var elapsed = clock.Elapsed;
        return new LoadResult(workers, elapsed, [.. statuses.SelectMany(s => s)], [.. latencies.SelectMany(l => l).Order()]);
    }
}

/// <summary>What a load got back: every status, and every latency in stopwatch ticks, sorted.</summary>
public sealed record LoadResult(int Workers, TimeSpan Elapsed, IReadOnlyList<int> Statuses, IReadOnlyList<long> SortedLatencyTicks)
{
    public int Requests => Statuses.Count;

    public int Succeeded => Statuses.Count(s => s is >= 200 and < 300);

    public int ServerErrors => Statuses.Count(s => s >= 500);

    public int Unanswered => Statuses.Count(s => s == 0);

    /// <summary>Answered with 2xx per second of the run.</summary>
    public double SucceededPerSecond => Succeeded / Elapsed.TotalSeconds;

    /// <summary>The latency below which <paramref name="percent"/>% of the answers came, in milliseconds (nearest rank).</summary>
    public double PercentileMilliseconds(double percent)
    {
        if (SortedLatencyTicks.Count == 0) return double.NaN;
        var rank = (int)Math.Ceiling(percent / 100 * SortedLatencyTicks.Count) - 1;
        return SortedLatencyTicks[Math.Clamp(rank, 0, SortedLatencyTicks.Count - 1)] * 1000.0 / Stopwatch.Frequency;
    }

    public string StatusSummary => string.Join(", ", Statuses.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{(g.Key == 0 ? "no answer" : g.Key.ToString(System.Globalization.CultureInfo.InvariantCulture))}: {g.Count()}"));
}
