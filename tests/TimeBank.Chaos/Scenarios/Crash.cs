using System.Collections.Concurrent;
using TimeBank.Harness;

namespace TimeBank.Chaos.Scenarios;

/// <summary>
/// kill -9 of the service, again and again, under deposits and redemptions from clients that retry under the
/// same Idempotency-Key. Afterwards every acknowledged deposit and order is in the ledger exactly once, and a
/// full replay of the community's views equals the live ones once the async views have caught up.
/// </summary>
public static class Crash
{
    public static async Task<ScenarioResult> RunAsync(ChaosRun run, TimeSpan duration, int kills)
    {
        var community = await run.CommunityWithPointsAsync("chaos-crash", volunteers: 12, greetingsEach: 300);
        var (stationId, items) = await run.Ledger.OpenStationAsync(community.Code, items: 2, stock: 1_000_000);
        var day = run.OpenQuarterStart;
        var deposits = new ConcurrentDictionary<Guid, WriteOutcome>();
        var orders = new ConcurrentDictionary<Guid, WriteOutcome>();
        var killing = true;

        Task Deposits(int worker) => run.RecordGreetingsWhileAsync(community, worker, day, () => killing, deposits, TimeSpan.FromSeconds(90));

        Task Orders(int worker) => run.PlaceOrdersWhileAsync(community, 8 + worker, stationId, items, () => killing, orders, TimeSpan.FromSeconds(90));

        async Task Kill()
        {
            for (var k = 0; k < kills; k++)
            {
                await Task.Delay(duration / kills);
                run.Service.KillHard();
                await Task.Delay(TimeSpan.FromMilliseconds(300));
                await run.Service.StartAsync(TimeSpan.FromSeconds(90));
                run.Say($"crash {k + 1} of {kills}: killed and restarted");
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
            killing = false;
        }

        await Task.WhenAll([.. Enumerable.Range(0, 8).Select(Deposits), .. Enumerable.Range(0, 4).Select(Orders), Kill()]);

        var failures = new List<string>();
        var acknowledgedDeposits = deposits.Where(d => d.Value.Acknowledged).Select(d => d.Key).ToList();
        var acknowledgedOrders = orders.Where(o => o.Value.Acknowledged).Select(o => o.Key).ToList();
        var depositCheck = LedgerCheck.Compare(acknowledgedDeposits, await LedgerCheck.CountByIdAsync(run.ConnectionString, community.Code, "service_recorded", "serviceId"));
        var orderCheck = LedgerCheck.Compare(acknowledgedOrders, await LedgerCheck.CountByIdAsync(run.ConnectionString, community.Code, "store_order_placed", "orderId"));
        var redeemedCheck = LedgerCheck.Compare(acknowledgedOrders, await LedgerCheck.CountByIdAsync(run.ConnectionString, community.Code, "points_redeemed", "orderId"));
        var unsettled = deposits.Values.Concat(orders.Values).Count(w => w.Status == 0);
        if (unsettled > 0) failures.Add($"{unsettled} writes never got an answer that settled them");
        var refused = deposits.Values.Concat(orders.Values).Where(w => w.Status >= 400 && !w.Acknowledged).GroupBy(w => w.Code).Select(g => $"{g.Key ?? "?"}: {g.Count()}").ToList();
        if (refused.Count > 0) failures.Add($"writes were refused: {string.Join(", ", refused)}");

        var equal = await ViewsEqualAfterReplayAsync(run, community.Code);
        if (!equal) failures.Add("the async views did not come to equal a full replay");
        var attempts = deposits.Values.Concat(orders.Values).SelectMany(w => w.Attempts).ToList();
        return new ScenarioResult(
            "Crash: kill -9 under load, retrying clients",
            attempts.Count,
            $"{kills} × kill -9",
            acknowledgedDeposits.Count + acknowledgedOrders.Count,
            depositCheck.Found + orderCheck.Found,
            depositCheck.Lost + orderCheck.Lost + redeemedCheck.Lost,
            depositCheck.Duplicated + orderCheck.Duplicated + redeemedCheck.Duplicated,
            attempts.Count(s => s >= 500),
            failures,
            $"{acknowledgedDeposits.Count:#,0} deposits and {acknowledgedOrders.Count:#,0} orders acknowledged ({deposits.Values.Concat(orders.Values).Count(w => w.Code == "idempotent-request-applied"):#,0} of them as applied with the answer lost to a crash); {attempts.Count(s => s == 0):#,0} attempts without an answer; views {(equal ? "equal" : "NOT equal")} to a replay");
    }

    /// <summary>
    /// A replay of the community's views, compared with the live ones; asked again, for up to three minutes,
    /// while the async views may still be catching up. After a kill -9 they wait for the dead node to be
    /// ejected (two missed health checks, about a minute) before its projections run elsewhere.
    /// </summary>
    public static async Task<bool> ViewsEqualAfterReplayAsync(ChaosRun run, string community)
    {
        var until = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (DateTime.UtcNow < until)
        {
            try
            {
                if (await run.Ledger.ReplayAsync(community, TimeSpan.FromMinutes(5)) is { } result && LedgerDriver.ViewsEqual(result)) return true;
            }
            catch (InvalidOperationException e)
            {
                run.Say($"the replay failed, asking again: {e.Message}");
            }

            await Task.Delay(TimeSpan.FromSeconds(5));
        }

        return false;
    }
}
