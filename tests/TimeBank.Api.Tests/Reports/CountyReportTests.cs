using Marten.Events;
using TimeBank.Api.Reports;
using TimeBank.Domain.Reports;

namespace TimeBank.Api.Tests.Reports;

/// <summary>A county's quarter: its communities' reports side by side, added up, once all have closed it.</summary>
public class CountyReportTests
{
    private static async Task<TestCommunity> ACommunityWithAQuarter(string county, int minutes)
    {
        var community = await Given.ACommunity(county: county);
        var volunteer = await community.AVolunteer();
        var elder = await community.AnElder("poor");
        await community.AService(volunteer.Id, elder.Id, "2026-08-03T09:00:00+08:00", minutes);
        return community;
    }

    private static async Task Close(TestCommunity community)
    {
        await TestHost.Factory.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        var closing = await community.Http.PostAsJsonAsync(community.Url("/quarters/2026Q3/closing"), new { recordedBy = "office-01" });
        Assert.That(closing.StatusCode, Is.EqualTo(HttpStatusCode.OK), await closing.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task the_county_report_waits_for_every_community_then_adds_them_up()
    {
        var county = $"county-{Guid.NewGuid():N}"[..20];
        var first = await ACommunityWithAQuarter(county, 60);
        var second = await ACommunityWithAQuarter(county, 90);
        await Close(first);
        var url = $"/api/v1/counties/{county}/reports/quarterly/2026Q3";

        var waiting = await first.Http.GetAsync(url);
        var problem = await waiting.ReadProblem(HttpStatusCode.Conflict);
        Assert.That((problem["code"]!.GetValue<string>(), problem["detail"]!.GetValue<string>()), Is.EqualTo(("quarter-not-closed-everywhere", $"2026Q3 is not closed yet in: {second.Code}.")));

        await Close(second);
        var report = (await first.Http.GetFromJsonAsync<CountyReport>(url, Json.Options))!;

        // Default rules: 10 points an hour, poor elders weigh 120%: 60 min gives 12 points, 90 min gives 18.
        Assert.That(report.Communities.Select(c => (c.Community, c.Totals.MinutesServed, c.Totals.PointsAwarded)), Is.EquivalentTo(new[]
        {
            (first.Code, 60, 12), (second.Code, 90, 18),
        }));
        Assert.That((report.Totals.Services, report.Totals.MinutesServed, report.Totals.PointsAwarded, report.Totals.VolunteersEnrolled), Is.EqualTo((2, 150, 30, 2)));

        var summary = await first.Http.GetByteArrayAsync($"{url}?format=csv&table=communities&lang=en");
        var rows = new System.Text.UTF8Encoding(false).GetString(summary[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(rows[^1], Does.StartWith($"Total,{county},"));
        Assert.That(await first.Http.GetByteArrayAsync($"{url}?format=html"), Is.EqualTo(await first.Http.GetByteArrayAsync($"{url}?format=html")));
        var unknown = await first.Http.GetAsync("/api/v1/counties/no-such-county/reports/quarterly/2026Q3");
        Assert.That((await unknown.ReadProblem(HttpStatusCode.NotFound))["code"]!.GetValue<string>(), Is.EqualTo("unknown-county"));
    }

    [Test]
    public async Task the_report_command_writes_the_same_files_the_api_answers()
    {
        var community = await ACommunityWithAQuarter($"county-{Guid.NewGuid():N}"[..20], 45);
        await Close(community);
        var folder = Path.Combine(Path.GetTempPath(), $"timebank-report-{Guid.NewGuid():N}");
        try
        {
            var exit = await ReportCommand.RunAsync(TestHost.Factory.Services, ["quarterly", community.Code, "2026Q3", "--out", folder]);

            Assert.That(exit, Is.EqualTo(0));
            var name = $"{community.Code}-2026Q3";
            Assert.That(await File.ReadAllBytesAsync(Path.Combine(folder, $"{name}.html")),
                Is.EqualTo(await community.Http.GetByteArrayAsync(community.Url("/reports/quarterly/2026Q3?format=html"))));
            Assert.That(await File.ReadAllBytesAsync(Path.Combine(folder, $"{name}.json")),
                Is.EqualTo(await community.Http.GetByteArrayAsync(community.Url("/reports/quarterly/2026Q3"))));
            Assert.That(await File.ReadAllBytesAsync(Path.Combine(folder, $"{name}-volunteers.csv")),
                Is.EqualTo(await community.Http.GetByteArrayAsync(community.Url("/reports/quarterly/2026Q3?format=csv&table=volunteers"))));
            Assert.That(Directory.GetFiles(folder), Has.Length.EqualTo(2 + 14));
            Assert.That(await ReportCommand.RunAsync(TestHost.Factory.Services, ["quarterly", community.Code, "2026Q4"]), Is.EqualTo(1));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
