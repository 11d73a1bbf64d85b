using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace TimeBank.Api.Tests.StaffConsole;

/// <summary>
/// The office closes the third quarter from the console: one volunteer, 王秀兰, served an elder living alone for 120 minutes
/// in August, so the closing awards one volunteer 120 × 10 × 120% ÷ 60 = 24 points; the report opens from the quarter's page.
/// </summary>
public sealed class OfficeTests
{
    [Test]
    public async Task The_office_sees_its_figures_closes_a_quarter_and_opens_its_report()
    {
        var community = await ConsoleHost.ACommunityAsync();
        var volunteer = await community.AVolunteer(enrolledOn: "2026-07-01");
        var elder = await community.AnElder("living-alone");
        await community.AService(volunteer.Id, elder.Id, "2026-08-10T09:00:00+08:00", 120);
        await community.AService(volunteer.Id, elder.Id, "2026-11-20T09:00:00+08:00", 45);
        await ConsoleHost.ViewsCaughtUpAsync();
        var key = await community.AKey("民乐社区办公室", "admin");
        var page = await ConsoleHost.NewPageAsync(1280, 800);
        await page.SignInAsync(key.Key, community.Code, "office-01");

        await page.GotoAsync("/console/office");
        await Expect(page.Locator("[data-figure=volunteers]")).ToHaveTextAsync("1");
        await Expect(page.Locator("[data-figure=elders]")).ToHaveTextAsync("1");
        await Expect(page.Locator("[data-figure=minutes-this-month]")).ToHaveTextAsync("45 分钟");
        await Expect(page.Locator("#quarter")).ToHaveValueAsync("2026Q3");

        await page.GetByRole(AriaRole.Button, new() { Name = "结算这个季度" }).ClickAsync();

        await Expect(page.Locator("h1")).ToHaveTextAsync("季度结算 2026Q3");
        await Expect(page.Locator("[data-figure=volunteers-awarded]")).ToHaveTextAsync("1");
        await Expect(page.Locator("[data-figure=points-awarded]")).ToHaveTextAsync("24");
        var report = await page.APIRequest.GetAsync(await page.GetByRole(AriaRole.Link, new() { Name = "打开并打印结算报告" }).GetAttributeAsync("href") ?? "");
        Assert.That(report.Status, Is.EqualTo(200));
        Assert.That(report.Headers["content-type"], Does.StartWith("text/html"));
        Assert.That(await report.TextAsync(), Does.Contain("王秀兰").And.Contain("2026"));
        var csv = await page.APIRequest.GetAsync(await page.GetByRole(AriaRole.Link, new() { Name = "下载 CSV（压缩包）" }).GetAttributeAsync("href") ?? "");
        Assert.That(csv.Status, Is.EqualTo(200));
        Assert.That(csv.Headers["content-type"], Does.StartWith("application/zip"));

        // Sent again, the closing answers the one on record: the office sees the same quarter, nothing awarded twice.
        await page.GotoAsync("/console/office");
        await Expect(page.Locator("ul.quarters")).ToContainTextAsync("2026Q3 已结算 · 积分 24");
    }
}
