using Marten;
using Marten.Events;
using TimeBank.Api.Care;
using TimeBank.Domain.Services;
using TimeBank.Samples.SampleCommunity;

namespace TimeBank.Api.Tests.Samples;

public class SampleCommunityTests
{
    [Test]
    public async Task the_sample_community_loads_through_the_api_once()
    {
        var http = TestHost.Factory.CreateClient();
        var code = "sample-" + Guid.NewGuid().ToString("N")[..8];
        var loader = new SampleCommunityLoader(TestHost.Factory.PartnerClient(), TextWriter.Null);

        // Two days up to 2026-11-23 10:00 in Shanghai: 22 November (a Sunday) and the 23rd until ten.
        var loaded = await loader.LoadAsync(code, days: 2, now: TestHost.Start);
        var again = await loader.LoadAsync(code, days: 2, now: TestHost.Start);

        Assert.That(loaded, Is.True);
        Assert.That(again, Is.False);

        // Worked out from the plan for 22 November (a Sunday) and 23 November until ten:
        // 171 elders greeted at 08:00 or 08:20 on both days: 342 calls. Sunday visits at 14:00 or 15:30 go to
        // the elders numbered 0, 7, ..., 168 (25); Monday's are still to come. The monthly service falls on the
        // 22nd for elders numbered 21 + 28k (21, 49, 77, 105, 133, 161: 6). The quarter's alliance activity was on
        // 15 November, before these days. No festival falls on these days, and no birthday on the 22nd (it would need n % 12 = 10 and n % 28 = 21; 21 + 28k leaves 9,
        // 1 or 5 over 12); birthdays on the 23rd are at 19:00, still to come.
        await using var session = TestHost.Factory.Store.QuerySession(code);
        var services = await session.Events.QueryRawEventDataOnly<ServiceRecorded>().ToListAsync();
        Assert.That(services.Count(s => s.ServiceType == "greeting-call"), Is.EqualTo(342));
        Assert.That(services.Count(s => s.ServiceType == "home-visit"), Is.EqualTo(25));
        Assert.That(services.Count(s => s.ServiceType is "haircut-shave" or "cleaning-laundry"), Is.EqualTo(6));
        Assert.That(services.Count(s => s.ServiceType == "alliance-activity"), Is.Zero);
        Assert.That(services.Sum(s => s.MinutesBanked), Is.EqualTo((342 * 10) + (25 * 60) + (6 * 60)));
        // The community, 6 grid workers, 171 elders, 90 volunteers, 171 pairings and 373 services. (Not Marten's
        // tombstones: the second load resends writes under their keys, and each resend's first attempt, refused by
        // the key's record, leaves one where its sequence numbers went before it is answered the first answer.)
        Assert.That(await session.Events.QueryAllRawEvents().Where(e => e.EventTypeName != "tombstone").CountAsync(), Is.EqualTo(1 + 6 + 171 + 90 + 171 + 373));

        // The overdue list at 10:00 on Monday the 23rd. Everyone was greeted this morning, and this week's
        // visits are still to come, so all 171 are on it. Pairings began on 23 October: the first whole week
        // owed is that of 26 October, the first month November. Never visited (146): waiting since 26 October.
        // Visited on Sunday (25): the six of them who also had November's service (21, 49, ..., 161 are
        // multiples of 7) wait only since today; the other 19 wait for November's service since the 1st.
        await TestHost.Factory.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        var overdue = (await http.GetFromJsonAsync<OverdueResponse>($"/api/v1/communities/{code}/care/overdue", Json.Options))!;
        Assert.That(overdue.Count, Is.EqualTo(171));
        Assert.That(overdue.Elders.GroupBy(e => e.WaitingSince).Select(g => (g.Key, g.Count())).ToList(), Is.EqualTo(new[]
        {
            (new DateOnly(2026, 10, 26), 146),
            (new DateOnly(2026, 11, 1), 19),
            (new DateOnly(2026, 11, 23), 6),
        }));
        Assert.That(overdue.Elders.SkipWhile(e => e.Category == Domain.Elders.CareCategory.LivingAlone).First().WaitingSince, Is.EqualTo(new DateOnly(2026, 10, 26)));
    }

    /// <summary>Lets writes through until the one named, which reaches the service but whose answer is lost, as when a load is stopped.</summary>
    private sealed class CutOff(int atWrite) : DelegatingHandler
    {
        private int _writes;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.Method != HttpMethod.Get && ++_writes == atWrite)
            {
                response.Dispose();
                throw new HttpRequestException("The load was cut off.");
            }

            return response;
        }
    }

    private static SampleCommunityLoader LoaderCutOffAt(int write) =>
        new(TimeBank.Client.TimeBankClients.Over(TestHost.Factory.CreateDefaultClient([new CutOff(write), .. TimeBank.Client.TimeBankClients.Handlers()])), TextWriter.Null);

    [Test]
    public async Task a_load_cut_off_is_finished_by_the_next_with_its_last_quarter_whole_and_printed_on_at_most_ten_pages()
    {
        var http = TestHost.Factory.CreateClient();
        var code = "sample-" + Guid.NewGuid().ToString("N")[..8];
        // Until 2026-11-23 10:00 in Shanghai, from the first day of the last closed quarter: 1 July.
        var now = TestHost.Start;
        var firstDay = SampleCommunityLoader.FirstDayOfLastQuarter(now);
        Assert.That(firstDay, Is.EqualTo(new DateOnly(2026, 7, 1)));

        // Before the services: the community, 6 grid workers, 171 elders, 90 volunteers and 171 pairings are 439
        // writes. The first load stops at the 300th (among the volunteers and pairings), the second at its 142nd
        // (the third call of services, after the 139 writes of people left), each after the service took it.
        Assert.That(() => LoaderCutOffAt(300).LoadAsync(code, firstDay, now), Throws.Exception);
        Assert.That(() => LoaderCutOffAt(142).LoadAsync(code, firstDay, now), Throws.Exception);
        var loader = new SampleCommunityLoader(TestHost.Factory.PartnerClient(), TextWriter.Null);
        Assert.That(await loader.LoadAsync(code, firstDay, now), Is.True, "the third load finishes it");
        Assert.That(await loader.LoadAsync(code, firstDay, now), Is.False, "and a fourth finds nothing to do");

        // Worked out from the plan for 1 July (a Wednesday) to 23 November at ten: 146 mornings of greetings for 171
        // elders (24,966). Visits until the 22nd: 20 weeks and Wednesday to Sunday, so 21 visits for the elders whose
        // number leaves 0, 3, 4, 5 or 6 over 7 (25 + 4 × 24 = 121 of them), 20 for the 50 leaving 1 or 2: 3,541. The
        // monthly service every month from July to October (4 × 171) and in November up to the 22nd for the 135 elders
        // whose number leaves at most 21 over 28 (a haircut for even numbers: 4 × 86 + 68; cleaning for odd: 4 × 85 + 67). Birthdays (month n % 12 + 1, day n % 28 + 1) from July to
        // October for the 56 elders leaving 6 to 9 over 12, and in November (10 over 12) for the 10 of those 14 born on
        // or before the 22nd: 66. The alliance activity on 15 August and 15 November, and the festivals of Mid-Autumn
        // (25 September) and the Double Ninth (18 October), each once for all 90 volunteers: 360.
        await using var session = TestHost.Factory.Store.QuerySession(code);
        var services = await session.Events.QueryRawEventDataOnly<ServiceRecorded>().ToListAsync();
        Assert.That(services.GroupBy(s => s.ServiceType).ToDictionary(g => g.Key, g => g.Count()), Is.EquivalentTo(new Dictionary<string, int>
        {
            ["greeting-call"] = 24_966,
            ["home-visit"] = 3_541,
            ["haircut-shave"] = 412,
            ["cleaning-laundry"] = 407,
            ["birthday-visit"] = 66,
            ["alliance-activity"] = 180,
            ["festival-activity"] = 180,
        }));
        Assert.That(services.Select(s => s.ServiceId).Distinct().Count(), Is.EqualTo(services.Count), "no service landed twice");
        var everyone = await session.Events.QueryAllRawEvents().Where(e => e.EventTypeName != "service_recorded" && e.EventTypeName != "tombstone").ToListAsync();
        Assert.That(everyone.GroupBy(e => e.EventTypeName).ToDictionary(g => g.Key, g => g.Count()), Is.EquivalentTo(new Dictionary<string, int>
        {
            ["community_registered"] = 1,
            ["grid_worker_registered"] = 6,
            ["elder_registered"] = 171,
            ["volunteer_enrolled"] = 90,
            ["elder_paired"] = 171,
        }));

        // The last closed quarter, whole: 92 days of greetings, 13 weeks of visits and Wednesday the 30th's (24 elders),
        // three months of monthly services, 42 birthdays, the alliance activity and Mid-Autumn: 18,714 services.
        await TestHost.Factory.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(120));
        var closing = await http.PostAsJsonAsync($"/api/v1/communities/{code}/quarters/2026Q3/closing", new { recordedBy = "office-01" });
        Assert.That((int)closing.StatusCode, Is.InRange(200, 299), await closing.Content.ReadAsStringAsync());
        var report = (await http.GetFromJsonAsync<Domain.Reports.QuarterlyReport>($"/api/v1/communities/{code}/reports/quarterly/2026Q3", Json.Options))!;
        Assert.That((report.Totals.Services, report.Totals.VolunteersServing, report.Totals.EldersServed), Is.EqualTo((18_714, 90, 171)));
        Assert.That(report.MinutesByMonth.Select(m => m.Services), Has.All.GreaterThan(6_000), "no empty month");

        var printed = await PrintedReport.PrintAsync(await http.GetStringAsync($"/api/v1/communities/{code}/reports/quarterly/2026Q3?format=html"));
        Assert.That(printed.PageCount, Is.LessThanOrEqualTo(10));
        printed.AssertPrintedAsAClerkNeedsIt();
    }
}
