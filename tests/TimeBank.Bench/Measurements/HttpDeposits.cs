using System.Net.Http.Json;
using TimeBank.Harness;

namespace TimeBank.Bench.Measurements;

/// <summary>
/// One service a request, end to end: the key checked, the body validated, the Idempotency-Key recorded, the
/// rules decided on the volunteer's stream, the event appended and the time account's inline view updated.
/// Each client serves volunteers of its own, eleven minutes apart, so every request is one the ledger takes.
/// Counted after a warm-up (<see cref="WarmUp"/>): the figures are the service's steady state.
/// </summary>
public static class HttpDeposits
{
    /// <param name="WarmUpRounds">The uncounted rounds' deposits a second, oldest first.</param>
    public sealed record Result(IReadOnlyList<double> WarmUpRounds, IReadOnlyDictionary<int, LoadResult> Closed, LoadResult AtHalfPeak, long PeakResidentBytes);

    public static async Task<Result> MeasureAsync(BenchRun run)
    {
        var halfPeakClients = run.Scale.ClientCounts.Max();
        var community = await run.Ledger.NewCommunityAsync("bench-deposits", halfPeakClients + run.Scale.ClientCounts.Sum() + halfPeakClients, run.Ledger.FiveYearsAgo);
        var memory = run.Service.Memory;
        memory.ResetPeak();

        // Until the runtime has compiled the deposit path's hot code again with optimisations (tiered compilation),
        // a young process is measuring its compiler (see WarmUp). The warm-up's own volunteers keep the counted ones'
        // days as they would be; each serves on from where its last round stopped.
        var warming = community.People.Take(halfPeakClients).ToList();
        var served = new int[halfPeakClients];
        var rounds = new List<double>();
        while (!run.Scale.WarmUp.IsOver(rounds))
        {
            var round = await LoadGenerator.RunAsync(halfPeakClients, run.Scale.WarmUp.Round, (worker, _) => Deposit(run, community, warming[worker], served[worker]++));
            rounds.Add(round.SucceededPerSecond);
        }

        run.Say($"HTTP deposits, warm-up at {halfPeakClients} clients, {run.Scale.WarmUp.Round.TotalSeconds:0} s rounds (not counted): {string.Join(", ", rounds.Select(BenchRun.Number))}/s");
        var next = halfPeakClients;

        var closed = new Dictionary<int, LoadResult>();
        foreach (var clients in run.Scale.ClientCounts)
        {
            var people = community.People.Skip(next).Take(clients).ToList();
            next += clients;
            closed[clients] = await LoadGenerator.RunAsync(clients, run.Scale.Step, (worker, i) => Deposit(run, community, people[worker], i));
            run.Say($"HTTP deposits, {clients} clients: {BenchRun.Number(closed[clients].SucceededPerSecond)}/s, p99 {closed[clients].PercentileMilliseconds(99):0.0} ms ({closed[clients].StatusSummary})");
        }

        // The latency a partner sees when the service is half as busy as it can be: paced, not flat out.
        var peak = closed.Values.Max(r => r.SucceededPerSecond);
        var paced = community.People.Skip(next).Take(halfPeakClients).ToList();
        var half = await LoadGenerator.RunAsync(halfPeakClients, run.Scale.Step * 2, (worker, i) => Deposit(run, community, paced[worker], i), perSecond: Math.Max(1, peak / 2));
        run.Say($"HTTP deposits at half the peak ({BenchRun.Number(peak / 2)}/s): p50 {half.PercentileMilliseconds(50):0.0} ms, p99 {half.PercentileMilliseconds(99):0.0} ms ({half.StatusSummary})");
        return new Result(rounds, closed, half, memory.PeakResidentBytes);
    }

    private static async Task<int?> Deposit(BenchRun run, RunCommunity community, (Guid Volunteer, Guid Elder) person, int iteration)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/communities/{community.Code}/services")
        {
            Content = JsonContent.Create(LedgerDriver.GreetingCall(Guid.CreateVersion7(), person, LedgerDriver.At(community.EnrolledOn, 11 * iteration), 10)),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var response = await run.Http.SendAsync(request);
        return (int)response.StatusCode;
    }
}
