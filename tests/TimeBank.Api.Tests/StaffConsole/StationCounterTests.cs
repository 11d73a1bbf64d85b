using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace TimeBank.Api.Tests.StaffConsole;

/// <summary>
/// 王秀兰 served an elder living alone for 120 minutes in August; the third quarter, closed, awarded her
/// 120 × 10 points an hour × 120% ÷ 60 = 24 points (she has no pairing, so no six-ones bonus). The station has 5 bags of
/// rice at 20 points: one bag leaves her 4 points and the station 4 bags, and its pickup code hands it over.
/// </summary>
public sealed class StationCounterTests
{
    [Test]
    public async Task An_exchange_takes_points_and_stock_and_its_pickup_code_hands_it_over()
    {
        var community = await ConsoleHost.ACommunityAsync();
        var volunteer = await community.AVolunteer(enrolledOn: "2026-07-01");
        var elder = await community.AnElder("living-alone");
        await community.AService(volunteer.Id, elder.Id, "2026-08-10T09:00:00+08:00", 120);
        await ClosingAsync(community, "2026Q3");
        var station = await ReadAsync<TimeBank.Api.Store.StationResponse>(await community.Http.PostAsJsonAsync(community.Url("/stations"), new { name = "民乐实践站", recordedBy = "store-01" }));
        await ReadAsync<TimeBank.Api.Store.StationResponse>(await community.Http.PostAsJsonAsync(community.Url($"/stations/{station.StationId}/items"),
            new { name = "大米", unit = "袋", pricePoints = 20, stock = 5, recordedBy = "store-01" }));
        // Lists show a new station once the daemon's high-water mark has passed it (README: Lists); the counter's page reads the list.
        await ListedAsync(community, station.StationId);
        var key = await community.AKey("民乐实践站柜台", "store");
        var page = await ConsoleHost.NewPageAsync(1280, 800);
        await page.SignInAsync(key.Key, community.Code, "store-01");

        await page.GotoAsync("/console/station");
        await Expect(page.Locator("table.stock .stock-count")).ToHaveTextAsync(["5"]);
        await page.Locator("#find").FillAsync("秀兰");
        await page.GetByRole(AriaRole.Button, new() { Name = "查找" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "王秀兰" }).ClickAsync();
        await Expect(page.Locator(".points-balance")).ToHaveTextAsync("24");

        await page.Locator("#quantity").FillAsync("1");
        await page.GetByRole(AriaRole.Button, new() { Name = "确认兑换" }).ClickAsync();

        await Expect(page.Locator(".order-total")).ToHaveTextAsync("20");
        await Expect(page.Locator(".order-status")).ToHaveTextAsync("待领取");
        var code = (await page.Locator(".pickup-code").InnerTextAsync()).Trim();
        Assert.That(code, Does.Match("^[0-9]{6}$"));
        var points = await ReadAsync<TimeBank.Api.Points.PointsResponse>(await community.Http.GetAsync(community.Url($"/volunteers/{volunteer.Id}/points")));
        Assert.That(points.Balance, Is.EqualTo(24 - 20));

        await page.GetByRole(AriaRole.Link, new() { Name = "返回柜台" }).ClickAsync();
        await Expect(page.Locator("table.stock .stock-count")).ToHaveTextAsync(["4"]);
        await page.Locator("#pickup-code").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "核销" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("已核销，物品已交给志愿者。");
        await Expect(page.Locator(".order-status")).ToHaveTextAsync("已领取");

        // The same code again: the order is no longer awaiting pickup, and the counter says so.
        await page.GotoAsync("/console/station");
        await page.Locator("#pickup-code").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "核销" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("没有待领取的订单使用这个核销码");
    }

    /// <summary>Closes a quarter through the API, once the care views have taken in its services.</summary>
    public static async Task ClosingAsync(TestCommunity community, string quarter)
    {
        await ConsoleHost.ViewsCaughtUpAsync();
        var closing = await community.Http.PostAsJsonAsync(community.Url($"/quarters/{quarter}/closing"), new { recordedBy = "office-01" });
        Assert.That(closing.StatusCode, Is.EqualTo(HttpStatusCode.OK), await closing.Content.ReadAsStringAsync());
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<T>(Json.Options))!;
    }

    private static async Task ListedAsync(TestCommunity community, Guid stationId)
    {
        for (var waited = TimeSpan.Zero; waited < TimeSpan.FromSeconds(30); waited += TimeSpan.FromMilliseconds(200))
        {
            var listed = await community.Http.GetStringAsync(community.Url("/stations"));
            if (listed.Contains(stationId.ToString(), StringComparison.Ordinal)) return;
            await Task.Delay(200);
        }

        Assert.Fail($"Station {stationId} was not listed within 30 s.");
    }
}
