using Marten;
using Marten.Events;
using TimeBank.Api.Points;
using TimeBank.Api.Store;
using TimeBank.Api.Volunteers;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Points;
using TimeBank.Domain.Reports;

namespace TimeBank.Api.Tests.Points;

/// <summary>
/// The points account through the service: awards of two quarters spent oldest first, expired by a closing,
/// restored to their own award, the statement line by line, and points moving with a volunteer.
/// </summary>
public class PointsAccountTests
{
    private static readonly Quarter Q2 = new(2026, 2);
    private static readonly Quarter Q3 = new(2026, 3);
    private static readonly Quarter Q4 = new(2026, 4);

    /// <summary>10 points an hour for every service, no weights, no bonuses; points expire after the quarters given (none: never).</summary>
    private static object Rules(string from, int? expireAfter) =>
        new { effectiveFrom = from, pointsPerHour = 10, quarterCap = (int?)null, onlyConfirmedServicesCount = false, pointsExpireAfterQuarters = expireAfter, recordedBy = "office-01" };

    private static async Task Close(TestCommunity community, string quarter)
    {
        await TestHost.Factory.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        var closed = await community.Http.PostAsJsonAsync(community.Url($"/quarters/{quarter}/closing"), new { recordedBy = "office-01" });
        Assert.That(closed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await closed.Content.ReadAsStringAsync());
    }

    private static async Task<Guid> Order(TestCommunity community, StationResponse station, Guid volunteerId, string item)
    {
        var itemId = station.Items.Single(i => i.Name == item).ItemId;
        var placed = await community.Http.PostAsJsonAsync(community.Url($"/stations/{station.StationId}/orders"),
            new { volunteerId, items = new[] { new { itemId, quantity = 1 } }, recordedBy = "store-01" });
        Assert.That(placed.StatusCode, Is.EqualTo(HttpStatusCode.Created), await placed.Content.ReadAsStringAsync());
        return (await placed.Content.ReadFromJsonAsync<Domain.Store.StoreOrder>(Json.Options))!.Id;
    }

    private static async Task<StationResponse> AStation(TestCommunity community, params (string Name, int Price)[] items)
    {
        // Orders that stay unpicked must not expire during the test: their expiry is a message scheduled from the
        // service's (test) clock, which runs behind the real one, so a week's wait could already be due.
        var station = await (await community.Http.PostAsJsonAsync(community.Url("/stations"),
            new { name = "新时代文明实践站", pickupDays = Domain.Store.Station.MaxPickupDays, recordedBy = "office-01" })).ReadCreated<StationResponse>();
        foreach (var (name, price) in items)
        {
            await community.Http.PostAsJsonAsync(community.Url($"/stations/{station.StationId}/items"), new { name, unit = "袋", pricePoints = price, stock = 10, recordedBy = "store-01" });
        }

        return (await community.Http.GetFromJsonAsync<StationResponse>(community.Url($"/stations/{station.StationId}"), Json.Options))!;
    }

    private static async Task<PointsResponse> PointsOf(TestCommunity community, Guid volunteerId, string query = "") =>
        (await community.Http.GetFromJsonAsync<PointsResponse>(community.Url($"/volunteers/{volunteerId}/points{query}"), Json.Options))!;

    private static async Task<PointsStatementResponse> StatementOf(TestCommunity community, Guid volunteerId, string query = "") =>
        (await community.Http.GetFromJsonAsync<PointsStatementResponse>(community.Url($"/volunteers/{volunteerId}/points/statement{query}"), Json.Options))!;

    [Test]
    public async Task awards_of_two_quarters_are_spent_oldest_first_expire_unspent_and_come_back_to_their_own_award()
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var elder = await community.AnElder("comfortable");
        Assert.That((await community.Http.PostAsJsonAsync(community.Url("/scoring-rules"), Rules("2026Q2", 1))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var station = await AStation(community, ("米", 20), ("面", 25), ("油", 22));

        // Q2: 240 + 60 minutes at 10 an hour = 40 + 10 = 50. Q3: 180 minutes = 30.
        await community.AService(volunteer.Id, elder.Id, "2026-05-06T09:00:00+08:00", 240);
        await community.AService(volunteer.Id, elder.Id, "2026-05-07T09:00:00+08:00", 60);
        await community.AService(volunteer.Id, elder.Id, "2026-08-05T09:00:00+08:00", 180);
        await Close(community, "2026Q2");
        // Order A, 20: all from Q2's award (50 → 30 left).
        var a = await Order(community, station, volunteer.Id, "米");
        // Closing Q3 awards 30 and, points expiring one quarter after their own, takes the 30 left of Q2; the 20 spent stay spent.
        await Close(community, "2026Q3");
        var q3 = (await community.Http.GetFromJsonAsync<ClosingResponse>(community.Url("/quarters/2026Q3"), Json.Options))!;
        Assert.That((q3.PointsAwarded, q3.PointsExpired), Is.EqualTo((30, 30)));
        await using (var session = TestHost.Factory.Store.QuerySession(community.Code))
        {
            var expired = (await session.Events.FetchStreamAsync(volunteer.Id)).Select(e => e.Data).OfType<PointsExpired>().Single();
            Assert.That(expired.Awards, Is.EqualTo(new[] { new AwardDraw(Q2, null, 30) }));
        }

        var afterClosing = await PointsOf(community, volunteer.Id);
        // Order B, 25: from Q3 (the only award with points left: 30 → 5).
        await Order(community, station, volunteer.Id, "面");
        // Cancelling A gives its 20 back to Q2, where it came from: Q2 has 20 again.
        var cancelled = await community.Http.PostAsJsonAsync(community.Url($"/stations/{station.StationId}/orders/{a}/cancellation"), new { recordedBy = "store-01" });
        Assert.That(cancelled.StatusCode, Is.EqualTo(HttpStatusCode.OK), await cancelled.Content.ReadAsStringAsync());
        var afterCancelling = await PointsOf(community, volunteer.Id);
        // Order C, 22: oldest first, Q2's 20 and 2 of Q3's 5.
        await Order(community, station, volunteer.Id, "油");

        Assert.That(afterClosing.Balance, Is.EqualTo(30));
        Assert.That(afterCancelling.Awards.Select(x => (x.Quarter, x.Remaining, x.Spent, x.Expired)), Is.EqualTo(new[] { (Q2, 20, 0, 30), (Q3, 5, 25, 0) }));
        var points = await PointsOf(community, volunteer.Id);
        // 50 + 30 awarded; redeemed 20 + 25 + 22 - 20 restored = 47; expired 30: 80 - 47 - 30 = 3.
        Assert.That((points.Balance, points.Awarded, points.Redeemed, points.Expired), Is.EqualTo((3, 80, 47, 30)));
        Assert.That(points.Awards.Select(x => (x.Quarter, x.Points, x.Remaining, x.Spent, x.Expired)), Is.EqualTo(new[] { (Q2, 50, 0, 20, 30), (Q3, 30, 3, 27, 0) }));

        // The statement, line by line: +50 = 50; A −20 = 30; +30 = 60; Q2's 30 expire = 30; B −25 = 5; A back +20 = 25; C −22 = 3.
        var statement = await StatementOf(community, volunteer.Id);
        Assert.That(statement.Lines.Select(l => (l.Kind, l.Change, l.BalanceAfter)), Is.EqualTo(new[]
        {
            (PointsEntryKind.Awarded, 50, 50),
            (PointsEntryKind.Redeemed, -20, 30),
            (PointsEntryKind.Awarded, 30, 60),
            (PointsEntryKind.Expired, -30, 30),
            (PointsEntryKind.Redeemed, -25, 5),
            (PointsEntryKind.Restored, 20, 25),
            (PointsEntryKind.Redeemed, -22, 3),
        }));
        Assert.That(statement.Lines[^1].Awards, Is.EqualTo(new[] { new AwardDraw(Q2, null, -20), new AwardDraw(Q3, null, -2) }));
        Assert.That(statement.Lines[5].Awards, Is.EqualTo(new[] { new AwardDraw(Q2, null, 20) }));

        // Paged three lines at a time, and as the log stood at the expiry.
        var first = await StatementOf(community, volunteer.Id, "?limit=3");
        var second = await StatementOf(community, volunteer.Id, $"?limit=3&after={first.NextAfter}");
        Assert.That(first.Lines.Concat(second.Lines).Select(l => l.BalanceAfter), Is.EqualTo(new[] { 50, 30, 60, 30, 5, 25 }));
        await using (var session = TestHost.Factory.Store.QuerySession(community.Code))
        {
            var expiry = (await session.Events.FetchStreamAsync(volunteer.Id)).Single(e => e.Data is PointsExpired).Sequence;
            var then = await StatementOf(community, volunteer.Id, $"?asOfSequence={expiry}");
            Assert.That(then.Lines.Select(l => l.BalanceAfter), Is.EqualTo(new[] { 50, 30, 60, 30 }));
            Assert.That((await PointsOf(community, volunteer.Id, $"?asOfSequence={expiry}")).Awards.Select(x => x.Remaining), Is.EqualTo(new[] { 0, 30 }));
        }

        var badPage = await community.Http.GetAsync(community.Url($"/volunteers/{volunteer.Id}/points/statement?limit=0"));
        Assert.That((await badPage.ReadProblem(HttpStatusCode.BadRequest)).ErrorFields(), Is.EqualTo(new[] { "limit" }));
        Assert.That(await community.ReplayDifferences(), Is.Empty, "the views fold again from the log to the same documents");
    }

    [Test]
    public async Task scoring_rules_with_an_expiry_out_of_range_are_refused_naming_the_field()
    {
        var community = await Given.ACommunity();
        var none = await community.Http.PostAsJsonAsync(community.Url("/scoring-rules"), Rules("2027Q1", 0));
        Assert.That((await none.ReadProblem(HttpStatusCode.BadRequest)).ErrorFields(), Is.EqualTo(new[] { "pointsExpireAfterQuarters" }));
        var rules = (await community.Http.GetFromJsonAsync<ScoringRulesResponse>(community.Url("/scoring-rules/2027Q1"), Json.Options))!;
        Assert.That(rules.Rules.PointsExpireAfterQuarters, Is.Null, "nothing expires by default");
    }

    [Test]
    public async Task a_volunteer_who_moves_takes_minutes_and_points_with_their_awards_and_both_histories_and_reports_show_it()
    {
        var home = await Given.ACommunity();
        var next = await Given.ACommunity();
        var volunteer = await home.AVolunteer();
        var elder = await home.AnElder("comfortable");
        var station = await AStation(home, ("米", 10));
        // Q3: 180 minutes at the default 10 an hour (a comfortable elder weighs 100%) = 30 points; 10 spent.
        await home.AService(volunteer.Id, elder.Id, "2026-08-05T09:00:00+08:00", 180);
        await Close(home, "2026Q3");
        await Order(home, station, volunteer.Id, "米");

        var moved = await home.Http.PostAsJsonAsync(home.Url($"/volunteers/{volunteer.Id}/transfer"), new { toCommunity = next.Code, recordedBy = "office-01" });

        var transfer = (await moved.Content.ReadFromJsonAsync<TransferResponse>(Json.Options))!;
        Assert.That((transfer.Minutes, transfer.Points, transfer.PointsCarried.Single()), Is.EqualTo((180, 20, new AwardDraw(Q3, home.Code, 20))));
        var left = await PointsOf(home, volunteer.Id);
        Assert.That((left.Balance, left.TransferredOut, left.Awards.Single().TransferredOut), Is.EqualTo((0, 20, 20)));
        var arrived = await PointsOf(next, transfer.NewVolunteerId);
        Assert.That((arrived.Balance, arrived.TransferredIn, arrived.Awards.Count), Is.EqualTo((20, 20, 0)));
        Assert.That(arrived.CarriedIn.Select(c => (c.Quarter, c.AwardedIn, c.Points, c.Remaining)), Is.EqualTo(new[] { (Q3, home.Code, 20, 20) }));
        Assert.That((await home.TimeAccountOf(volunteer.Id)).Balance, Is.EqualTo(0));
        Assert.That((await next.TimeAccountOf(transfer.NewVolunteerId)).Balance, Is.EqualTo(180));

        // Both statements: home 30 − 10 = 20, then −20 = 0; the new community +20 = 20.
        Assert.That((await StatementOf(home, volunteer.Id)).Lines.Select(l => (l.Kind, l.Change, l.BalanceAfter)), Is.EqualTo(new[]
        {
            (PointsEntryKind.Awarded, 30, 30), (PointsEntryKind.Redeemed, -10, 20), (PointsEntryKind.TransferredOut, -20, 0),
        }));
        var inLine = (await StatementOf(next, transfer.NewVolunteerId)).Lines.Single();
        Assert.That((inLine.Kind, inLine.Change, inLine.BalanceAfter, inLine.Reference), Is.EqualTo((PointsEntryKind.TransferredIn, 20, 20, (Guid?)volunteer.Id)));

        // The new community expires points one quarter after their own: the Q3 award brought along expires when it closes Q4.
        Assert.That((await next.Http.PostAsJsonAsync(next.Url("/scoring-rules"), Rules("2026Q4", 1))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using (TestHost.Factory.Clock.Travel(TimeSpan.FromDays(45)))
        {
            await Close(home, "2026Q4");
            await Close(next, "2026Q4");
            var there = await PointsOf(next, transfer.NewVolunteerId);
            Assert.That((there.Balance, there.Expired, there.CarriedIn.Single().Expired), Is.EqualTo((0, 20, 20)));

            // Each community's report of the quarter of the move counts its side of it.
            var homeReport = (await home.Http.GetFromJsonAsync<QuarterlyReport>(home.Url("/reports/quarterly/2026Q4"), Json.Options))!;
            var nextReport = (await next.Http.GetFromJsonAsync<QuarterlyReport>(next.Url("/reports/quarterly/2026Q4"), Json.Options))!;
            var gone = homeReport.Volunteers.Single(v => v.VolunteerId == volunteer.Id);
            var come = nextReport.Volunteers.Single(v => v.VolunteerId == transfer.NewVolunteerId);
            Assert.That((gone.PointsTransferredOut, gone.MinutesTransferredOut, gone.PointsBalance), Is.EqualTo((20, 180, 0)));
            Assert.That((come.PointsTransferredIn, come.MinutesTransferredIn, come.PointsExpired, come.PointsBalance), Is.EqualTo((20, 180, 20, 0)));
            Assert.That((homeReport.Totals.PointsTransferredOut, nextReport.Totals.PointsTransferredIn, nextReport.Totals.PointsExpired), Is.EqualTo((20, 20, 20)));
        }

        Assert.That(await home.ReplayDifferences(), Is.Empty);
        Assert.That(await next.ReplayDifferences(), Is.Empty);
    }
}
