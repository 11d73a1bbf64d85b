using System.IO.Compression;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using TimeBank.Api.Store;
using TimeBank.Domain.Care;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Elders;
using TimeBank.Domain.Points;
using TimeBank.Domain.Reports;
using TimeBank.Domain.Store;
using TimeBank.Domain.Volunteers;

namespace TimeBank.Api.Tests.Reports;

/// <summary>
/// The fourth quarter of 2026 at a small community, scripted so that every figure of its settlement report
/// can be worked out by hand (the comments do), then read back through the API in every format.
/// </summary>
public class QuarterlyReportTests
{
    private sealed record Scripted(
        TestCommunity Community, Guid A, Guid B, Guid C, Guid D, Guid FrailElder, Guid LonelyElder, Guid PoorElder, Guid GridWorker, Guid Station, Guid Rice, Guid Oil);

    private static Scripted? _scripted;

    /// <summary>
    /// Rules from 2026Q3: 12 points an hour, disabled elders weigh 150%, at most 100 of a quarter's own points.
    /// A (general-care) is paired with the disabled elder since 1 July; B (general-care), C (arts) and D (arts,
    /// enrolled 1 November) are not paired.
    /// </summary>
    private static async Task<Scripted> ScriptAsync()
    {
        if (_scripted is not null) return _scripted;
        var community = await Given.ACommunity();
        var gridWorker = (await community.AGridWorker()).Id;
        var a = (await community.AVolunteer()).Id;
        var b = (await community.AVolunteer()).Id;
        var c = (await community.AVolunteer("arts")).Id;
        var d = (await community.AVolunteer("arts", "2026-11-01")).Id;
        var frail = (await community.AnElder("disabled", gridWorker)).Id;
        var lonely = (await community.AnElder("living-alone", gridWorker)).Id;
        var poor = (await community.AnElder("poor")).Id;
        await Ok(community.Http.PostAsJsonAsync(community.Url("/scoring-rules"), new
        {
            effectiveFrom = "2026Q3",
            pointsPerHour = 12,
            categoryWeights = new[] { new { category = "disabled", weightPercent = 150 } },
            rhythmBonuses = Array.Empty<object>(),
            quarterCap = 100,
            onlyConfirmedServicesCount = false,
            recordedBy = "office-01",
        }));
        await Ok(community.Http.PostAsJsonAsync(community.Url("/pairings"), new { volunteerId = a, elderId = frail, basis = "proximity", startedOn = "2026-07-01", recordedBy = "grid-01" }));

        // Q3: A visits the disabled elder for an hour (60 × 12 × 150% ÷ 60 = 18); C the elder living alone for
        // two (120 × 12 ÷ 60 = 24). Closed now, in November.
        var aInSeptember = await community.AService(a, frail, "2026-09-07T15:00:00+08:00", 60);
        await community.AService(c, lonely, "2026-09-08T15:00:00+08:00", 120);
        await TestHost.Factory.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        await Ok(community.Http.PostAsJsonAsync(community.Url("/quarters/2026Q3/closing"), new { recordedBy = "office-01" }));

        // After Q3 closed: a September hour of C's recorded late (+12 in Q4) and A's September visit reversed
        // (-18 in Q4).
        await community.AService(c, lonely, "2026-09-22T15:00:00+08:00", 60);
        await Ok(community.Http.PostAsJsonAsync(community.Url($"/services/{aInSeptember.ServiceId}/reversal"), new { reason = "entered-in-error", recordedBy = "grid-01" }));

        // Q4. A: seven Monday visits in October and November (420 min, 7 × 18 = 126), a haircut (45 min,
        // 45 × 12 × 150% ÷ 60 = 13.5, so 14) and a call to the elder living alone (30 min, 6): 146 own points.
        string[] mondays = ["2026-10-05", "2026-10-12", "2026-10-19", "2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16"];
        var firstVisit = await community.AService(a, frail, $"{mondays[0]}T15:00:00+08:00", 60);
        foreach (var monday in mondays.Skip(1)) await community.AService(a, frail, $"{monday}T15:00:00+08:00", 60);
        await community.AService(a, frail, "2026-10-20T09:00:00+08:00", 45, "haircut-shave");
        await community.AService(a, lonely, "2026-11-10T09:00:00+08:00", 30, "greeting-call");
        // B: a visit reversed before the closing (counts for nothing), and an hour's cleaning for the disabled elder (18).
        var bVisit = await community.AService(b, lonely, "2026-10-15T10:00:00+08:00", 90);
        await Ok(community.Http.PostAsJsonAsync(community.Url($"/services/{bVisit.ServiceId}/reversal"), new { reason = "not-done", recordedBy = "grid-01" }));
        var cleaning = await community.AService(b, frail, "2026-11-03T10:00:00+08:00", 60, "cleaning-laundry");
        // C: two hours with the elder living alone (24), disputed by the grid worker (it still counts: not only confirmed ones do).
        var cVisit = await community.AService(c, lonely, "2026-10-16T10:00:00+08:00", 120);
        await Ok(community.Http.PostAsJsonAsync(community.Url($"/services/{firstVisit.ServiceId}/confirmation"), new { evaluatorRole = "elder", evaluatorId = frail }));
        await Ok(community.Http.PostAsJsonAsync(community.Url($"/services/{cleaning.ServiceId}/confirmation"), new { evaluatorRole = "elder", evaluatorId = frail }));
        await Ok(community.Http.PostAsJsonAsync(community.Url($"/services/{cVisit.ServiceId}/dispute"),
            new { evaluatorRole = "grid-worker", evaluatorId = gridWorker, reason = "shorter-than-recorded" }));

        // The store, in November: rice (10 points, 5 bags, 4 more restocked) and oil (5 points, 3 bottles).
        var station = await (await community.Http.PostAsJsonAsync(community.Url("/stations"), new { name = "实践站", recordedBy = "office-01" })).ReadCreated<StationResponse>();
        var stationUrl = community.Url($"/stations/{station.StationId}");
        await Ok(community.Http.PostAsJsonAsync($"{stationUrl}/items", new { name = "大米", unit = "袋", pricePoints = 10, stock = 5, recordedBy = "store-01" }));
        await Ok(community.Http.PostAsJsonAsync($"{stationUrl}/items", new { name = "食用油", unit = "瓶", pricePoints = 5, stock = 3, recordedBy = "store-01" }));
        var items = (await community.Http.GetFromJsonAsync<StationResponse>(stationUrl, Json.Options))!.Items;
        Guid rice = items.Single(i => i.Name == "大米").ItemId, oil = items.Single(i => i.Name == "食用油").ItemId;
        await Ok(community.Http.PostAsJsonAsync($"{stationUrl}/items/{rice}/restock", new { quantity = 4, recordedBy = "store-01" }));
        // A takes a bag of rice (10) and brings it back; orders oil (5) and calls it off. C takes two bags (20).
        var aRice = await (await community.Http.PostAsJsonAsync($"{stationUrl}/orders", Order(a, rice, 1))).ReadCreated<StoreOrder>();
        await Ok(community.Http.PostAsJsonAsync($"{stationUrl}/pickups", new { pickupCode = aRice.PickupCode, recordedBy = "store-01" }));
        await Ok(community.Http.PostAsJsonAsync($"{stationUrl}/orders/{aRice.Id}/return", new { recordedBy = "store-01" }));
        var aOil = await (await community.Http.PostAsJsonAsync($"{stationUrl}/orders", Order(a, oil, 1))).ReadCreated<StoreOrder>();
        await Ok(community.Http.PostAsJsonAsync($"{stationUrl}/orders/{aOil.Id}/cancellation", new { recordedBy = "store-01" }));
        var cRice = await (await community.Http.PostAsJsonAsync($"{stationUrl}/orders", Order(c, rice, 2))).ReadCreated<StoreOrder>();
        await Ok(community.Http.PostAsJsonAsync($"{stationUrl}/pickups", new { pickupCode = cRice.PickupCode, recordedBy = "store-01" }));

        await TestHost.Factory.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        using (TestHost.Factory.Clock.Travel(TimeSpan.FromDays(40)))
        {
            await Ok(community.Http.PostAsJsonAsync(community.Url("/quarters/2026Q4/closing"), new { recordedBy = "office-01" }));
        }

        return _scripted = new Scripted(community, a, b, c, d, frail, lonely, poor, gridWorker, station.StationId, rice, oil);
    }

    private static object Order(Guid volunteerId, Guid itemId, int quantity) =>
        new { volunteerId, items = new[] { new { itemId, quantity } }, recordedBy = "store-01" };

    private static async Task Ok(Task<HttpResponseMessage> sending)
    {
        var response = await sending;
        Assert.That((int)response.StatusCode, Is.InRange(200, 299), await response.Content.ReadAsStringAsync());
    }

    private static async Task<QuarterlyReport> ReportAsync(Scripted s)
    {
        var response = await s.Community.Http.GetAsync(s.Community.Url("/reports/quarterly/2026Q4"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<QuarterlyReport>(Json.Options))!;
    }

    [Test]
    public async Task every_figure_of_the_quarter_is_the_one_worked_out_by_hand()
    {
        var s = await ScriptAsync();
        var report = await ReportAsync(s);

        // A: own points 146 capped at 100 (46 cut), the September reversal −18: 82. Balance 18 (Q3) − 15 + 15 + 82 = 100.
        // Minutes banked: 60 (Q3, reversed) + 420 + 45 + 30 = 495 left.
        // B: 18; one of two services reversed; 60 minutes. C: 24 + 12 (late September hour) = 36; balance 24 − 20 + 36 = 40;
        // minutes 120 + 60 + 120 = 300. D: an award of 0.
        // The books: Q3's award and minutes are brought forward (A 18 and 60, C 24 and 120). Q4 banks its own services
        // and the late records Q3's closing had not taken in: A 495 − 60 (the September reversal) = 435, B 90 − 90 + 60,
        // C 120 + 60 (the late September hour). Nothing happened between 31 December and the closing: carried forward
        // is the balance at the closing.
        var lines = report.Volunteers.ToDictionary(v => v.VolunteerId);
        IReadOnlyList<ServiceTypeMinutes> byType = [];
        Assert.That(lines[s.A] with { MinutesByServiceType = byType }, Is.EqualTo(new VolunteerSettlement(
            s.A, "王秀兰", "general-care", byType, 9, 495, 1, 0, 0, 82, 146, 0, 46, -18, 0, 15, 15, 100, 495, 0, 0, 0,
            PointsBroughtForward: 18, PointsCarriedForward: 100, MinutesBroughtForward: 60, MinutesBanked: 435, MinutesCarriedForward: 495)));
        Assert.That(lines[s.A].MinutesByServiceType, Is.EqualTo(new[]
        {
            new ServiceTypeMinutes("greeting-call", 1, 30), new ServiceTypeMinutes("haircut-shave", 1, 45), new ServiceTypeMinutes("home-visit", 7, 420),
        }));
        Assert.That(lines[s.B] with { MinutesByServiceType = byType }, Is.EqualTo(new VolunteerSettlement(
            s.B, "王秀兰", "general-care", byType, 1, 60, 1, 0, 1, 18, 18, 0, 0, 0, 0, 0, 0, 18, 60, 0, 0, 0,
            PointsCarriedForward: 18, MinutesBanked: 60, MinutesCarriedForward: 60)));
        Assert.That(lines[s.C] with { MinutesByServiceType = byType }, Is.EqualTo(new VolunteerSettlement(
            s.C, "王秀兰", "arts", byType, 1, 120, 0, 1, 0, 36, 24, 0, 0, 12, 0, 20, 0, 40, 300, 0, 0, 0,
            PointsBroughtForward: 24, PointsCarriedForward: 40, MinutesBroughtForward: 120, MinutesBanked: 180, MinutesCarriedForward: 300)));
        Assert.That(lines[s.D] with { MinutesByServiceType = byType }, Is.EqualTo(new VolunteerSettlement(
            s.D, "王秀兰", "arts", byType, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)));

        // 11 services standing (9 + 1 + 1) of 675 minutes; confirmed: A's first visit and B's cleaning; C's disputed.
        Assert.That(report.Totals, Is.EqualTo(new ReportTotals(4, 3, 3, 2, 11, 675, 2, 1, 1, 136, 35, 15)));

        // The disabled elder: 7 visits, the haircut and B's cleaning (525 min); the elder living alone: A's call and C's visit (150 min).
        Assert.That(report.ElderCategories, Is.EqualTo(new[]
        {
            new CategoryCare(CareCategory.Comfortable, 0, 0, 0, 0), new CategoryCare(CareCategory.LivingAlone, 1, 1, 2, 150),
            new CategoryCare(CareCategory.Disabled, 1, 1, 9, 525), new CategoryCare(CareCategory.Poor, 1, 0, 0, 0),
        }));

        // A's pairing over Q4, counted at the closing on 2 January: greetings on 7 of 92 days; visits in 7 of the 13
        // weeks ending 4 October to 27 December; a service in October and November, not December; no collective
        // activity; nothing at the Double Ninth (18 October, window 15-21); no birthday on record.
        Assert.That(report.Cadence, Is.EqualTo(new[]
        {
            new RhythmKept(Rhythm.DailyGreeting, 1, 0, 92, 7), new RhythmKept(Rhythm.WeeklyVisit, 1, 0, 13, 7),
            new RhythmKept(Rhythm.MonthlyService, 1, 0, 3, 2), new RhythmKept(Rhythm.QuarterlyActivity, 1, 0, 1, 0),
            new RhythmKept(Rhythm.FestivalActivity, 1, 0, 1, 0), new RhythmKept(Rhythm.BirthdayVisit, 0, 0, 0, 0),
        }));
        Assert.That(report.Cadence.Select(r => r.PercentOfPeriods), Is.EqualTo(new int?[] { 7, 53, 66, 0, 0, null }));
        Assert.That(report.CadenceByCategory.Where(k => k.PeriodsOwed > 0).Select(k => (k.Category, k.Rhythm, k.PercentKept)), Is.EqualTo(new[]
        {
            (CareCategory.Disabled, Rhythm.DailyGreeting, (int?)7), (CareCategory.Disabled, Rhythm.WeeklyVisit, 53), (CareCategory.Disabled, Rhythm.MonthlyService, 66),
            (CareCategory.Disabled, Rhythm.QuarterlyActivity, 0), (CareCategory.Disabled, Rhythm.FestivalActivity, 0),
        }));

        // Only the poor elder had no home visit.
        Assert.That(report.EldersWithoutVisit, Is.EqualTo(new[] { new ElderToFollowUp(s.PoorElder, "李大爷", CareCategory.Poor, "3号院", null, null) }));

        // Rice: 5 + 4 restocked − 3 taken + 1 returned = 7 (30 points); oil: 3 − 1 + 1 released = 3 (5 points).
        Assert.That(report.Store, Is.EquivalentTo(new[]
        {
            new StoreItemMovement(s.Station, "实践站", s.Rice, "大米", "袋", 10, 0, 5, 4, 3, 1, 0, 7, 30),
            new StoreItemMovement(s.Station, "实践站", s.Oil, "食用油", "瓶", 5, 0, 3, 0, 1, 0, 1, 3, 5),
        }));

        Assert.That(report.Teams, Is.EqualTo(new[] { new TeamTotals("arts", 2, 1, 1, 120, 36), new TeamTotals("general-care", 2, 2, 10, 555, 100) }));
        Assert.That(report.Commendations.Select(c => (c.Rank, c.VolunteerId, c.PointsAwarded)), Is.EqualTo(new[] { (1, s.A, 82), (2, s.C, 36), (3, s.B, 18) }));
        Assert.That(report.Adjustments.Select(x => (x.VolunteerId, x.ServiceDay, x.Minutes, x.Points, x.Reversal)), Is.EquivalentTo(new[]
        {
            (s.A, new DateOnly(2026, 9, 7), -60, -18, true), (s.C, new DateOnly(2026, 9, 22), 60, 12, false),
        }));
        // October: 4 visits, the haircut and C's visit (405 min); November: 3 visits, the call and the cleaning (270).
        Assert.That(report.MinutesByMonth, Is.EqualTo(new[] { new MonthMinutes(2026, 10, 6, 405), new MonthMinutes(2026, 11, 5, 270), new MonthMinutes(2026, 12, 0, 0) }));
        Assert.That(report.PointsDistribution.Select(b => b.Volunteers), Is.EqualTo(new[] { 1, 3, 0, 0, 0, 0 }));
        Assert.That((report.Quarter, report.Community), Is.EqualTo((new Quarter(2026, 4), s.Community.Code)));
    }

    [Test]
    public async Task the_report_is_kept_once_made_without_the_names_it_is_read_with()
    {
        var s = await ScriptAsync();
        var report = await ReportAsync(s);

        await using var command = TestHost.Factory.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().CreateCommand(
            "select data::text from timebank.mt_doc_keptquarterlyreport where tenant_id = $1 and id = '2026Q4'");
        command.Parameters.Add(new() { Value = s.Community.Code });
        var kept = (string?)await command.ExecuteScalarAsync();

        Assert.That(kept, Is.Not.Null, "the report of a closed quarter is kept");
        Assert.That(report.Volunteers.Select(v => v.Name), Has.All.EqualTo("王秀兰"));
        Assert.That(report.EldersWithoutVisit.Select(e => e.Name), Has.All.EqualTo("李大爷"));
        Assert.That(kept, Does.Not.Contain("王秀兰").And.Not.Contain("李大爷"));
        Assert.That(kept, Does.Contain(report.Coverage.Digest));
    }

    [Test]
    public async Task the_report_agrees_with_the_live_views_and_with_a_replay_of_each_stream()
    {
        var s = await ScriptAsync();
        var report = await ReportAsync(s);

        await using var session = TestHost.Factory.Store.QuerySession(s.Community.Code);
        foreach (var line in report.Volunteers)
        {
            var live = await s.Community.TimeAccountOf(line.VolunteerId);
            var points = (await s.Community.Http.GetFromJsonAsync<TimeBank.Api.Points.PointsResponse>(s.Community.Url($"/volunteers/{line.VolunteerId}/points"), Json.Options))!;
            var replayed = (await session.Events.AggregateStreamAsync<Volunteer>(line.VolunteerId))!;
            Assert.That((line.MinutesBalance, line.PointsBalance), Is.EqualTo((live.Balance, points.Balance)), "live");
            Assert.That((line.MinutesBalance, line.PointsBalance), Is.EqualTo((replayed.Account.Balance, replayed.Points.Balance)), "replayed");
        }

        var station = (await s.Community.Http.GetFromJsonAsync<StationResponse>(s.Community.Url($"/stations/{s.Station}"), Json.Options))!;
        var replayedStation = (await session.Events.AggregateStreamAsync<Station>(s.Station))!;
        foreach (var item in report.Store)
        {
            Assert.That(item.StockAtEnd, Is.EqualTo(station.Items.Single(i => i.ItemId == item.ItemId).Stock), "live");
            Assert.That(item.StockAtEnd, Is.EqualTo(replayedStation.Item(item.ItemId)!.Stock), "replayed");
        }

        var closing = (await s.Community.Http.GetFromJsonAsync<TimeBank.Api.Points.ClosingResponse>(s.Community.Url("/quarters/2026Q4"), Json.Options))!;
        Assert.That(report.Totals.PointsAwarded, Is.EqualTo(closing.PointsAwarded));
    }

    [Test]
    public async Task the_report_names_the_events_it_was_made_from_and_their_digest_recomputes_from_the_rows()
    {
        var s = await ScriptAsync();
        var report = await ReportAsync(s);

        await using var session = TestHost.Factory.Store.QuerySession(s.Community.Code);
        var closed = (await session.Events.FetchStreamAsync(CommunityCode.StreamId(s.Community.Code))).Last(e => e.Data is QuarterClosed);
        Assert.That(report.Coverage.LastSequence, Is.EqualTo(closed.Sequence));
        Assert.That(report.Coverage.Events, Is.EqualTo(await s.Community.EventCountUpTo(closed.Sequence)));

        // What an auditor runs: psql -At -F '|' over the same columns, piped to sha256sum.
        var rows = await session.AdvancedSql.QueryAsync<string>(
            $"select concat_ws('|', seq_id, id, stream_id, version, type, data::text) from timebank.mt_events where tenant_id = ? and seq_id <= ? order by seq_id",
            CancellationToken.None, s.Community.Code, closed.Sequence);
        var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(rows.Select(r => r + "\n")))));
        Assert.That(report.Coverage.Digest, Is.EqualTo(digest));
    }

    [Test]
    public async Task every_format_gives_the_same_bytes_each_time()
    {
        var s = await ScriptAsync();
        foreach (var query in new[] { "", "?format=json", "?format=csv", "?format=csv&table=volunteers", "?format=html", "?format=html&lang=en" })
        {
            var url = s.Community.Url($"/reports/quarterly/2026Q4{query}");
            var first = await s.Community.Http.GetByteArrayAsync(url);
            var second = await s.Community.Http.GetByteArrayAsync(url);
            Assert.That(second, Is.EqualTo(first), query);
        }
    }

    [Test]
    public async Task the_csv_files_open_with_a_byte_order_mark_one_per_table()
    {
        var s = await ScriptAsync();
        var zipped = await s.Community.Http.GetAsync(s.Community.Url("/reports/quarterly/2026Q4?format=csv"));
        Assert.That(zipped.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/zip"));
        using var zip = new ZipArchive(await zipped.Content.ReadAsStreamAsync());
        Assert.That(zip.Entries.Select(e => e.Name), Has.Member($"{s.Community.Code}-2026Q4-volunteers.csv").And.Member($"{s.Community.Code}-2026Q4-store.csv"));
        foreach (var entry in zip.Entries)
        {
            using var content = new MemoryStream();
            await using (var stream = entry.Open()) await stream.CopyToAsync(content);
            Assert.That(content.ToArray().Take(3), Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }), entry.Name);
        }

        var store = await s.Community.Http.GetByteArrayAsync(s.Community.Url("/reports/quarterly/2026Q4?format=csv&table=store"));
        var lines = new UTF8Encoding(false).GetString(store[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Does.StartWith("兑换站,商品,单位,单价积分,期初库存"));
        Assert.That(lines.Skip(1), Is.EquivalentTo(new[] { "实践站,大米,袋,10,0,5,4,3,1,0,7,30", "实践站,食用油,瓶,5,0,3,0,1,0,1,3,5" }));
    }

    [Test]
    public async Task the_printable_page_is_a_complete_self_contained_page_with_its_three_charts()
    {
        var s = await ScriptAsync();
        var response = await s.Community.Http.GetAsync(s.Community.Url("/reports/quarterly/2026Q4?format=html"));
        var html = await response.Content.ReadAsStringAsync();
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));

        // Well-formed markup with a head, a title and a body; nothing fetched from anywhere, no script.
        using var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        var page = XDocument.Load(reader).Root!;
        Assert.That((page.Name.LocalName, page.Attribute("lang")!.Value), Is.EqualTo(("html", "zh-CN")));
        Assert.That(page.Element("head")!.Element("title")!.Value, Does.Contain("2026年第4季度"));
        Assert.That(html, Does.Not.Contain("<script").And.Not.Contain("src=").And.Not.Contain("url(").And.Not.Contain("@import").And.Not.Contain("<link"));

        XNamespace svg = "http://www.w3.org/2000/svg";
        var charts = page.Descendants("figure").ToDictionary(f => f.Attribute("id")!.Value, f => f.Element(svg + "svg")!);
        Assert.That(charts.Keys, Is.EquivalentTo(new[] { "chart-hours", "chart-points", "chart-cadence" }));
        // Hours by month: 405 and 270 minutes print as hours and minutes; December has none.
        Assert.That(charts["chart-hours"].Elements(svg + "text").Where(t => t.Attribute("class")!.Value == "value").Select(t => t.Value), Is.EqualTo(new[] { "6 小时 45 分", "4 小时 30 分", "0 分" }));
        Assert.That(charts["chart-points"].Elements(svg + "rect").Count(), Is.EqualTo(6));
        Assert.That(charts["chart-cadence"].Elements(svg + "rect").Count(), Is.EqualTo(4 * 6));

        var english = await s.Community.Http.GetStringAsync(s.Community.Url("/reports/quarterly/2026Q4?format=html&lang=en"));
        Assert.That(english, Does.Contain("lang=\"en\"").And.Contain("Commendations"));
    }

    [Test]
    public async Task printed_from_chromium_every_page_is_numbered_and_the_last_carries_the_signatures()
    {
        var s = await ScriptAsync();
        var html = await s.Community.Http.GetStringAsync(s.Community.Url("/reports/quarterly/2026Q4?format=html"));

        var printed = await PrintedReport.PrintAsync(html);

        printed.AssertPrintedAsAClerkNeedsIt();
        var text = string.Concat(string.Concat(printed.Pages).Where(c => !char.IsWhiteSpace(c)));
        // Names, not codes: the teams, and the service types of the community's summary.
        Assert.That(text, Does.Contain("综合关爱服务队").And.Contain("文艺服务队").And.Contain("上门看望").And.Contain("问候电话"));
        // The closing on 2 January 2027 at 10:00 in Shanghai (the test clock's 10:00 on 23 November, 40 days on).
        Assert.That(text, Does.Contain("2027-01-0210:00:00+08:00"));
        // A's 495 minutes print as hours and minutes.
        Assert.That(text, Does.Contain("8小时15分"));
    }

    [Test]
    public async Task a_report_is_for_a_closed_quarter_in_a_known_format_and_only_for_auditors_and_admins()
    {
        var s = await ScriptAsync();
        var open = await s.Community.Http.GetAsync(s.Community.Url("/reports/quarterly/2027Q1"));
        var badFormat = await s.Community.Http.GetAsync(s.Community.Url("/reports/quarterly/2026Q4?format=pdf"));
        var badTable = await s.Community.Http.GetAsync(s.Community.Url("/reports/quarterly/2026Q4?format=csv&table=nope"));
        var badQuarter = await s.Community.Http.GetAsync(s.Community.Url("/reports/quarterly/2026Q9"));

        Assert.That((await open.ReadProblem(HttpStatusCode.NotFound))["code"]!.GetValue<string>(), Is.EqualTo("quarter-not-closed"));
        Assert.That((await badFormat.ReadProblem(HttpStatusCode.BadRequest)).ErrorFields(), Is.EqualTo(new[] { "format" }));
        Assert.That((await badTable.ReadProblem(HttpStatusCode.BadRequest)).ErrorFields(), Is.EqualTo(new[] { "table" }));
        Assert.That((await badQuarter.ReadProblem(HttpStatusCode.BadRequest)).ErrorFields(), Is.EqualTo(new[] { "quarter" }));
    }
}
