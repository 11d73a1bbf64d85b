using System.Text.Json.Nodes;

namespace TimeBank.Chaos.Scenarios;

/// <summary>
/// Hundreds of exchanges at once against four volunteers' points and two items of little stock, and a hundred
/// time-savings requests at once against the same four accounts: never a negative balance or stock, every
/// acknowledged exchange has its receipt, and what is left adds up to what was there less what was acknowledged.
/// </summary>
public static class Contention
{
    private const int ItemStock = 25;

    public static async Task<ScenarioResult> RunAsync(ChaosRun run, int orders, int requests)
    {
        var community = await run.CommunityWithPointsAsync("chaos-contention", volunteers: 4, greetingsEach: 40);
        var (stationId, items) = await run.Ledger.OpenStationAsync(community.Code, items: 2, stock: ItemStock);
        var volunteers = community.People.Select(p => p.Volunteer).ToList();
        var pointsBefore = new Dictionary<Guid, int>();
        var balanceBefore = new Dictionary<Guid, int>();
        foreach (var volunteer in volunteers)
        {
            pointsBefore[volunteer] = (await run.Ledger.GetAsync($"/api/v1/communities/{community.Code}/volunteers/{volunteer}/points"))["balance"]!.GetValue<int>();
            balanceBefore[volunteer] = (await run.Ledger.GetAsync($"/api/v1/communities/{community.Code}/volunteers/{volunteer}/time-account"))["available"]!.GetValue<int>();
        }

        // Everything at once: each on a client of its own, so that no request waits for another's connection.
        var placing = Enumerable.Range(0, orders).Select(i => Task.Run(async () =>
        {
            var order = new { orderId = Guid.CreateVersion7(), volunteer = volunteers[i % volunteers.Count], item = items[i % items.Count], quantity = 1 + (i % 3) };
            var outcome = await new RetryingWriter(run.NewClient, TimeSpan.FromSeconds(60)).PostAsync($"/api/v1/communities/{community.Code}/stations/{stationId}/orders", new
            {
                order.orderId,
                volunteerId = order.volunteer,
                items = new[] { new { itemId = order.item, order.quantity } },
                recordedBy = "chaos-store",
            });
            return (order.orderId, order.volunteer, order.item, order.quantity, outcome);
        })).ToList();
        var holding = Enumerable.Range(0, requests).Select(i => Task.Run(async () =>
        {
            var account = volunteers[i % volunteers.Count];
            var outcome = await new RetryingWriter(run.NewClient, TimeSpan.FromSeconds(60)).PostAsync($"/api/v1/communities/{community.Code}/time-savings", new
            {
                accountId = account,
                serviceType = "cleaning-laundry",
                minutes = 30,
                recordedBy = "chaos-grid",
            });
            return (account, outcome);
        })).ToList();
        var placed = await Task.WhenAll(placing);
        var held = await Task.WhenAll(holding);

        var failures = new List<string>();
        var acceptedOrders = placed.Where(p => p.outcome.Succeeded).ToList();
        var station = await run.Ledger.GetAsync($"/api/v1/communities/{community.Code}/stations/{stationId}");
        foreach (var item in items)
        {
            var stock = station["items"]!.AsArray().Single(i => i!["itemId"]!.GetValue<Guid>() == item)!["stock"]!.GetValue<int>();
            var expected = ItemStock - acceptedOrders.Where(o => o.item == item).Sum(o => o.quantity);
            if (stock < 0 || stock != expected) failures.Add($"item {item} has {stock} in stock, expected {expected}");
        }

        foreach (var volunteer in volunteers)
        {
            var points = (await run.Ledger.GetAsync($"/api/v1/communities/{community.Code}/volunteers/{volunteer}/points"))["balance"]!.GetValue<int>();
            var expected = pointsBefore[volunteer] - acceptedOrders.Where(o => o.volunteer == volunteer).Sum(o => o.quantity);
            if (points < 0 || points != expected) failures.Add($"volunteer {volunteer} has {points} points, expected {expected}");
            var account = await run.Ledger.GetAsync($"/api/v1/communities/{community.Code}/volunteers/{volunteer}/time-account");
            var heldMinutes = held.Where(h => h.account == volunteer && h.outcome.Succeeded).Sum(_ => 30);
            if (account["available"]!.GetValue<int>() < 0 || account["held"]!.GetValue<int>() != heldMinutes || account["available"]!.GetValue<int>() != balanceBefore[volunteer] - heldMinutes)
            {
                failures.Add($"volunteer {volunteer}'s time account holds {account["held"]} with {account["available"]} available, expected {heldMinutes} held of {balanceBefore[volunteer]}");
            }
        }

        foreach (var order in acceptedOrders)
        {
            var receipt = JsonNode.Parse(order.outcome.Body)!;
            if (string.IsNullOrEmpty(receipt["receiptNumber"]?.GetValue<string>()) || receipt["pickupCode"]?.GetValue<string>() is not { Length: 6 })
            {
                failures.Add($"order {order.orderId} was acknowledged without a receipt and pickup code");
            }
        }

        var requestIds = held.Where(h => h.outcome.Succeeded).Select(h => JsonNode.Parse(h.outcome.Body)!["requestId"]!.GetValue<Guid>()).ToList();
        var orderCheck = LedgerCheck.Compare(acceptedOrders.Select(o => o.orderId).ToList(), await LedgerCheck.CountByIdAsync(run.ConnectionString, community.Code, "store_order_placed", "orderId"));
        var holdCheck = LedgerCheck.Compare(requestIds, await LedgerCheck.CountByIdAsync(run.ConnectionString, community.Code, "time_savings_requested", "requestId"));
        var outcomes = placed.Select(p => p.outcome).Concat(held.Select(h => h.outcome)).ToList();
        var unsettled = outcomes.Count(o => o.Status == 0);
        if (unsettled > 0) failures.Add($"{unsettled} writes never got an answer that settled them");
        var refusals = outcomes.Where(o => o.Status >= 400).GroupBy(o => o.Code).Select(g => $"{g.Key}: {g.Count()}");
        return new ScenarioResult(
            "Contention: exchanges and time-savings holds at once",
            outcomes.Sum(o => o.Attempts.Count),
            $"{orders} exchanges and {requests} holds at once on 4 accounts, 2 items of {ItemStock}",
            acceptedOrders.Count + requestIds.Count,
            orderCheck.Found + holdCheck.Found,
            orderCheck.Lost + holdCheck.Lost,
            orderCheck.Duplicated + holdCheck.Duplicated,
            outcomes.SelectMany(o => o.Attempts).Count(s => s >= 500),
            failures,
            $"{acceptedOrders.Count} exchanges and {requestIds.Count} holds acknowledged; refusals {string.Join(", ", refusals)}; stock, points and held minutes add up");
    }
}
