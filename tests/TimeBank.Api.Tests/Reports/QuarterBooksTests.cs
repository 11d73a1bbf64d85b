using Marten;
using Marten.Events;
using TimeBank.Api.Store;
using TimeBank.Domain.Reports;
using TimeBank.Domain.Store;

namespace TimeBank.Api.Tests.Reports;

/// <summary>
/// A quarter closed weeks after it ended, with an exchange at the counter in between: the report's books add up
/// on paper (brought forward + the quarter's flows = carried forward, and the next quarter brings that forward),
/// while the balance at the closing moment, labelled as such, also holds the exchange.
/// </summary>
public class QuarterBooksTests
{
    private static async Task Ok(Task<HttpResponseMessage> sending)
    {
        var response = await sending;
        Assert.That((int)response.StatusCode, Is.InRange(200, 299), await response.Content.ReadAsStringAsync());
    }

    private static async Task<VolunteerSettlement> LineOf(TestCommunity community, string quarter, Guid volunteerId)
    {
        var response = await community.Http.GetAsync(community.Url($"/reports/quarterly/{quarter}"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<QuarterlyReport>(Json.Options))!.Volunteers.Single(v => v.VolunteerId == volunteerId);
    }

    [Test]
    public async Task a_quarter_closed_weeks_after_it_ended_prints_its_books_beside_the_balance_at_the_closing()
    {
        var community = await Given.ACommunity();
        var volunteer = (await community.AVolunteer()).Id;
        var elder = (await community.AnElder("comfortable")).Id;
        var station = await (await community.Http.PostAsJsonAsync(community.Url("/stations"), new { name = "实践站", pickupDays = 90, recordedBy = "office-01" })).ReadCreated<StationResponse>();
        var stationUrl = community.Url($"/stations/{station.StationId}");
        await Ok(community.Http.PostAsJsonAsync($"{stationUrl}/items", new { name = "鸡蛋", unit = "盒", pricePoints = 4, stock = 10, recordedBy = "store-01" }));
        var eggs = (await community.Http.GetFromJsonAsync<StationResponse>(stationUrl, Json.Options))!.Items.Single().ItemId;

        async Task Exchange()
        {
            var order = await (await community.Http.PostAsJsonAsync($"{stationUrl}/orders", new { volunteerId = volunteer, items = new[] { new { itemId = eggs, quantity = 1 } }, recordedBy = "store-01" }))
                .ReadCreated<StoreOrder>();
            await Ok(community.Http.PostAsJsonAsync($"{stationUrl}/pickups", new { pickupCode = order.PickupCode, recordedBy = "store-01" }));
        }

        async Task Close(string quarter)
        {
            await TestHost.Factory.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
            await Ok(community.Http.PostAsJsonAsync(community.Url($"/quarters/{quarter}/closing"), new { recordedBy = "office-01" }));
        }

        // Default rules, an elder of weight 100%: 10 points an hour. Q2: an hour on 10 June (10 points), closed now, on 23 November.
        await community.AService(volunteer, elder, "2026-06-10T15:00:00+08:00", 60);
        await Close("2026Q2");
        // Q3: two hours on 10 September (20 points). On 23 November, weeks after Q3 ended and before it is closed,
        // a box of eggs (4 points) from Q2's award, and half an hour of 20 November recorded (Q4's: 5 points).
        await community.AService(volunteer, elder, "2026-09-10T15:00:00+08:00", 120);
        await Exchange();
        await community.AService(volunteer, elder, "2026-11-20T15:00:00+08:00", 30);
        await Close("2026Q3");
        // On 2 January, before Q4 is closed that day, another box.
        using (TestHost.Factory.Clock.Travel(TimeSpan.FromDays(40)))
        {
            await Exchange();
            await Close("2026Q4");
        }

        // Q3: brought forward 10 points and 60 minutes; +20 awarded, nothing redeemed on a day of Q3: 30 carried
        // forward. At the closing (23 November) the 4 of that day's exchange were already spent: 26. Minutes: 60 + 120
        // = 180 carried forward; the November half hour was recorded before the closing too: 210 at the closing.
        var q3 = await LineOf(community, "2026Q3", volunteer);
        Assert.That((q3.PointsBroughtForward, q3.PointsAwarded, q3.PointsRedeemed, q3.PointsCarriedForward, q3.PointsBalance), Is.EqualTo((10, 20, 0, 30, 26)));
        Assert.That((q3.MinutesBroughtForward, q3.MinutesBanked, q3.MinutesCarriedForward, q3.MinutesBalance), Is.EqualTo((60, 120, 180, 210)));

        // Q4 brings forward what Q3 carried: 30 + 5 awarded − 4 redeemed (23 November) = 31 carried forward; at the
        // closing on 2 January the second box (a day of 2027Q1) is spent too: 27. Minutes: 180 + 30 = 210.
        var q4 = await LineOf(community, "2026Q4", volunteer);
        Assert.That((q4.PointsBroughtForward, q4.PointsAwarded, q4.PointsRedeemed, q4.PointsCarriedForward, q4.PointsBalance), Is.EqualTo((30, 5, 4, 31, 27)));
        Assert.That((q4.MinutesBroughtForward, q4.MinutesBanked, q4.MinutesCarriedForward, q4.MinutesBalance), Is.EqualTo((180, 30, 210, 210)));

        // The printed page labels the closing-time figure and prints both.
        var page = await community.Http.GetStringAsync(community.Url("/reports/quarterly/2026Q3?format=html"));
        Assert.That(page, Does.Contain("<th>本季结转</th>").And.Contain("<th>结算时余额</th>").And.Contain("<th>上季结转</th>"));
    }
}
