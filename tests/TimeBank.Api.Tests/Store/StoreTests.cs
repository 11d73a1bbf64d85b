using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using TimeBank.Api.Points;
using TimeBank.Api.Store;
using TimeBank.Domain.Store;
using Wolverine;

namespace TimeBank.Api.Tests.Store;

/// <summary>The station's store: a catalogue kept as events, exchanges that never overdraw points or stock.</summary>
public class StoreTests
{
    /// <summary>
    /// Volunteers with points: each gets the given hours of visits to an elder in the comfortable category in
    /// July 2026, and Q3 is closed. By the default rules an hour scores 10 points.
    /// </summary>
    private static async Task<List<Guid>> VolunteersWithPoints(TestCommunity community, params int[] hours)
    {
        var elder = await community.AnElder("comfortable");
        var ids = new List<Guid>();
        foreach (var h in hours)
        {
            var volunteer = await community.AVolunteer();
            for (var i = 0; i < h; i++) await community.AService(volunteer.Id, elder.Id, $"2026-07-{6 + i:D2}T{9 + ids.Count % 8:D2}:00:00+08:00", 60);
            ids.Add(volunteer.Id);
        }

        await TestHost.Factory.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        var closed = await community.Http.PostAsJsonAsync(community.Url("/quarters/2026Q3/closing"), new { recordedBy = "office-01" });
        Assert.That(closed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await closed.Content.ReadAsStringAsync());
        return ids;
    }

    private static async Task<StationResponse> AStation(TestCommunity community, params (string Name, int Price, int Stock)[] items)
    {
        var station = await (await community.Http.PostAsJsonAsync(community.Url("/stations"), new { name = "新时代文明实践站", recordedBy = "office-01" })).ReadCreated<StationResponse>();
        foreach (var (name, price, stock) in items)
        {
            var added = await community.Http.PostAsJsonAsync(community.Url($"/stations/{station.StationId}/items"), new { name, unit = "袋", pricePoints = price, stock, recordedBy = "store-01" });
            Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.OK), await added.Content.ReadAsStringAsync());
        }

        return (await community.Http.GetFromJsonAsync<StationResponse>(community.Url($"/stations/{station.StationId}"), Json.Options))!;
    }

    private static Task<HttpResponseMessage> Order(TestCommunity community, Guid stationId, Guid volunteerId, Guid? orderId, params (Guid ItemId, int Quantity)[] items) =>
        community.Http.PostAsJsonAsync(community.Url($"/stations/{stationId}/orders"),
            new { orderId, volunteerId, items = items.Select(i => new { itemId = i.ItemId, quantity = i.Quantity }), recordedBy = "store-01" });

    private static async Task<int> BalanceOf(TestCommunity community, Guid volunteerId) =>
        (await community.Http.GetFromJsonAsync<PointsResponse>(community.Url($"/volunteers/{volunteerId}/points"), Json.Options))!.Balance;

    private static async Task<int> StockOf(TestCommunity community, Guid stationId, Guid itemId) =>
        (await community.Http.GetFromJsonAsync<StationResponse>(community.Url($"/stations/{stationId}"), Json.Options))!.Items.Single(i => i.ItemId == itemId).Stock;

    [Test]
    public async Task the_catalogue_is_added_repriced_restocked_and_withdrawn()
    {
        var community = await Given.ACommunity();
        var station = await AStation(community, ("大米 5kg", 30, 5));
        var rice = station.Items.Single().ItemId;
        var url = community.Url($"/stations/{station.StationId}/items/{rice}");

        await community.Http.PostAsJsonAsync($"{url}/price", new { pricePoints = 35, recordedBy = "store-01" });
        await community.Http.PostAsJsonAsync($"{url}/restock", new { quantity = 10, recordedBy = "store-01" });
        var afterChanges = (await community.Http.GetFromJsonAsync<StationResponse>(community.Url($"/stations/{station.StationId}"), Json.Options))!.Items.Single();
        var withdrawn = await community.Http.PostAsJsonAsync($"{url}/withdrawal", new { recordedBy = "store-01" });
        var restockWithdrawn = await community.Http.PostAsJsonAsync($"{url}/restock", new { quantity = 1, recordedBy = "store-01" });
        var unknown = await community.Http.PostAsJsonAsync(community.Url($"/stations/{station.StationId}/items/{Guid.NewGuid()}/price"), new { pricePoints = 1, recordedBy = "store-01" });
        var negative = await community.Http.PostAsJsonAsync($"{url}/restock", new { quantity = -3, recordedBy = "store-01" });

        Assert.That((afterChanges.PricePoints, afterChanges.Stock, afterChanges.Withdrawn), Is.EqualTo((35, 15, false)));
        Assert.That(withdrawn.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await restockWithdrawn.ReadProblem(HttpStatusCode.Conflict))["code"]!.GetValue<string>(), Is.EqualTo("item-withdrawn"));
        await unknown.ReadProblem(HttpStatusCode.NotFound);
        Assert.That((await negative.ReadProblem(HttpStatusCode.BadRequest)).ErrorFields(), Is.EqualTo(new[] { "quantity" }));
    }

    [Test]
    public async Task an_exchange_debits_points_takes_stock_and_issues_a_receipt_and_pickup_code_and_undoing_it_restores_both()
    {
        var community = await Given.ACommunity();
        var volunteer = (await VolunteersWithPoints(community, 5)).Single();
        var station = await AStation(community, ("大米 5kg", 30, 5), ("食用油 1L", 15, 2));
        Guid rice = station.Items[0].ItemId, oil = station.Items[1].ItemId;
        var orderId = Guid.NewGuid();

        var placed = await (await Order(community, station.StationId, volunteer, orderId, (rice, 1), (oil, 1))).ReadCreated<StoreOrder>();
        var resent = await (await Order(community, station.StationId, volunteer, orderId, (oil, 1), (rice, 1))).ReadCreated<StoreOrder>();
        var clash = await Order(community, station.StationId, volunteer, orderId, (rice, 2));

        // 50 points from five hours; 30 + 15 = 45 spent.
        Assert.That((placed.TotalPoints, placed.Status, placed.PickupCode, placed.ReceiptNumber), Is.EqualTo((45, OrderStatus.AwaitingPickup, placed.PickupCode, placed.ReceiptNumber)));
        Assert.That(placed.PickupCode, Does.Match("^[0-9]{6}$"));
        Assert.That(placed.ReceiptNumber, Does.EndWith("-000001"));
        Assert.That(resent.Id, Is.EqualTo(placed.Id));
        await clash.ReadProblem(HttpStatusCode.Conflict);
        Assert.That(await BalanceOf(community, volunteer), Is.EqualTo(5));
        Assert.That((await StockOf(community, station.StationId, rice), await StockOf(community, station.StationId, oil)), Is.EqualTo((4, 1)));

        var tooDear = await Order(community, station.StationId, volunteer, null, (oil, 1));
        Assert.That((await tooDear.ReadProblem(HttpStatusCode.UnprocessableEntity))["code"]!.GetValue<string>(), Is.EqualTo("insufficient-points"));

        var wrongCode = await community.Http.PostAsJsonAsync(community.Url($"/stations/{station.StationId}/pickups"),
            new { pickupCode = placed.PickupCode == "000000" ? "000001" : "000000", recordedBy = "store-01" });
        await wrongCode.ReadProblem(HttpStatusCode.NotFound);
        var pickup = await community.Http.PostAsJsonAsync(community.Url($"/stations/{station.StationId}/pickups"), new { pickupCode = placed.PickupCode, recordedBy = "store-01" });
        Assert.That((await pickup.Content.ReadFromJsonAsync<StoreOrder>(Json.Options))!.Status, Is.EqualTo(OrderStatus.PickedUp));
        var cancelPickedUp = await community.Http.PostAsJsonAsync(community.Url($"/stations/{station.StationId}/orders/{orderId}/cancellation"), new { recordedBy = "store-01" });
        await cancelPickedUp.ReadProblem(HttpStatusCode.Conflict);

        var returned = await community.Http.PostAsJsonAsync(community.Url($"/stations/{station.StationId}/orders/{orderId}/return"), new { recordedBy = "store-01" });

        Assert.That((await returned.Content.ReadFromJsonAsync<StoreOrder>(Json.Options))!.Status, Is.EqualTo(OrderStatus.Returned));
        Assert.That(await BalanceOf(community, volunteer), Is.EqualTo(50));
        Assert.That((await StockOf(community, station.StationId, rice), await StockOf(community, station.StationId, oil)), Is.EqualTo((5, 2)));
    }

    [Test]
    public async Task an_order_not_picked_up_in_time_expires_and_gives_back_points_and_stock()
    {
        var community = await Given.ACommunity();
        var volunteer = (await VolunteersWithPoints(community, 3)).Single();
        var station = await AStation(community, ("挂面", 10, 3));
        var noodles = station.Items[0].ItemId;
        var order = await (await Order(community, station.StationId, volunteer, null, (noodles, 2))).ReadCreated<StoreOrder>();
        var bus = TestHost.Factory.Services.GetRequiredService<IMessageBus>();

        // A station keeps orders for 7 days unless it says otherwise.
        using (TestHost.Factory.Clock.Travel(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1)))
        {
            await bus.InvokeForTenantAsync(community.Code, new ExpireStoreOrder(station.StationId, order.Id));
        }

        Assert.That(await BalanceOf(community, volunteer), Is.EqualTo(10));

        using (TestHost.Factory.Clock.Travel(TimeSpan.FromDays(7)))
        {
            await bus.InvokeForTenantAsync(community.Code, new ExpireStoreOrder(station.StationId, order.Id));
            var late = await community.Http.PostAsJsonAsync(community.Url($"/stations/{station.StationId}/pickups"), new { pickupCode = order.PickupCode, recordedBy = "store-01" });
            await late.ReadProblem(HttpStatusCode.NotFound);
        }

        var read = await community.Http.GetFromJsonAsync<StoreOrder>(community.Url($"/stations/{station.StationId}/orders/{order.Id}"), Json.Options);
        Assert.That(read!.Status, Is.EqualTo(OrderStatus.Expired));
        Assert.That((await BalanceOf(community, volunteer), await StockOf(community, station.StationId, noodles)), Is.EqualTo((30, 3)));
    }

    [Test]
    public async Task far_more_simultaneous_exchanges_than_stock_leave_exactly_zero_stock_and_no_negative_balance()
    {
        var community = await Given.ACommunity();
        // Twenty volunteers with 10 points each; one with 10 points who tries to spend them ten times at once.
        var volunteers = await VolunteersWithPoints(community, [.. Enumerable.Repeat(1, 21)]);
        var station = await AStation(community, ("鸡蛋 一盒", 10, 6));
        var eggs = station.Items[0].ItemId;
        var greedy = volunteers[^1];

        var attempts = volunteers[..^1].Select(v => Order(community, station.StationId, v, null, (eggs, 1)))
            .Concat(Enumerable.Range(0, 10).Select(_ => Order(community, station.StationId, greedy, null, (eggs, 1))))
            .ToList();
        var responses = await Task.WhenAll(attempts);

        var created = responses.Count(r => r.StatusCode == HttpStatusCode.Created);
        Assert.That(created, Is.EqualTo(6), string.Join(", ", responses.Select(r => (int)r.StatusCode)));
        Assert.That(responses.All(r => r.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity));
        Assert.That(await StockOf(community, station.StationId, eggs), Is.Zero);
        var balances = await Task.WhenAll(volunteers.Select(v => BalanceOf(community, v)));
        Assert.That(balances.All(b => b is 0 or 10), string.Join(", ", balances));
        Assert.That(balances.Count(b => b == 0), Is.EqualTo(6));
        var orders = await community.Http.GetFromJsonAsync<List<StoreOrder>>(community.Url($"/volunteers/{greedy}/orders"), Json.Options);
        Assert.That(orders!.Count, Is.LessThanOrEqualTo(1));
    }

    [TestCase(2)]
    [TestCase(10)]
    public async Task one_order_id_sent_many_times_at_once_places_one_order_and_redeems_its_points_once(int copies)
    {
        var community = await Given.ACommunity();
        // Five hours of visits in Q3: 50 points. The order is one bag of noodles at 10 points, of 20 in stock.
        var volunteer = (await VolunteersWithPoints(community, 5)).Single();
        var station = await AStation(community, ("挂面 一袋", 10, 20));
        var noodles = station.Items.Single().ItemId;
        var orderId = Guid.CreateVersion7();

        var responses = await Task.WhenAll(Enumerable.Range(0, copies).Select(_ => Order(community, station.StationId, volunteer, orderId, (noodles, 1))));

        var receipts = new HashSet<string>();
        foreach (var response in responses)
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
            var order = (await response.Content.ReadFromJsonAsync<StoreOrder>(Json.Options))!;
            Assert.That((order.Id, order.TotalPoints), Is.EqualTo((orderId, 10)));
            receipts.Add(order.ReceiptNumber);
        }

        Assert.That(receipts, Has.Count.EqualTo(1), "every answer is the one order");
        Assert.That((await BalanceOf(community, volunteer), await StockOf(community, station.StationId, noodles)), Is.EqualTo((40, 19)));
        var orders = await community.Http.GetFromJsonAsync<List<StoreOrder>>(community.Url($"/volunteers/{volunteer}/orders"), Json.Options);
        Assert.That(orders!.Select(o => o.Id), Is.EqualTo(new[] { orderId }));
    }

    /// <summary>
    /// One order id sent at the same moment to two stations: the stations' streams do not race, the order's record
    /// does. The second insert is refused by its table, that request is decided again and finds the id in use.
    /// </summary>
    [Test]
    public async Task one_order_id_sent_at_once_to_two_stations_places_one_order()
    {
        var community = await Given.ACommunity();
        // 50 points; each station sells one bag of noodles at 10 points.
        var volunteer = (await VolunteersWithPoints(community, 5)).Single();
        var first = await AStation(community, ("挂面 一袋", 10, 20));
        var second = await AStation(community, ("挂面 一袋", 10, 20));
        var orderId = Guid.CreateVersion7();

        var responses = await Task.WhenAll(
            Order(community, first.StationId, volunteer, orderId, (first.Items.Single().ItemId, 1)),
            Order(community, second.StationId, volunteer, orderId, (second.Items.Single().ItemId, 1)));

        Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Created), Is.EqualTo(1), string.Join(", ", responses.Select(r => (int)r.StatusCode)));
        var refused = responses.Single(r => r.StatusCode != HttpStatusCode.Created);
        Assert.That((await refused.ReadProblem(HttpStatusCode.Conflict))["code"]!.GetValue<string>(), Is.EqualTo("order-id-in-use"));
        Assert.That(await BalanceOf(community, volunteer), Is.EqualTo(40));
    }
}
