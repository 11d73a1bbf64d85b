using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace TimeBank.Api.Tests.StaffConsole;

public sealed class AuditorTests
{
    [Test]
    public async Task An_auditor_sees_the_chain_intact_and_watches_a_replay_finish_matching_the_live_views()
    {
        var community = await ConsoleHost.ACommunityAsync();
        var volunteer = await community.AVolunteer(enrolledOn: "2026-07-01");
        var elder = await community.AnElder();
        await community.AService(volunteer.Id, elder.Id, "2026-08-10T09:00:00+08:00", 120);
        // A replay covers the whole log's views: it takes an auditor key for all communities.
        var issued = await community.Http.PostAsJsonAsync("/api/v1/keys", new { partner = "县民政局审计", roles = new[] { "auditor" }, communities = new[] { "*" }, recordedBy = "office-01" });
        var key = await issued.ReadCreated<TimeBank.Api.Partners.IssuedKeyResponse>();
        await ConsoleHost.ViewsCaughtUpAsync();
        var page = await ConsoleHost.NewPageAsync(1280, 800);
        await page.SignInAsync(key.Key, community.Code, "auditor-01");

        await page.GotoAsync("/console/audit");
        await Expect(page.Locator(".chain-state")).ToHaveTextAsync("完整");
        await page.GetByRole(AriaRole.Button, new() { Name = "开始重放" }).ClickAsync();

        // The page asks again by itself while the replay runs.
        await Expect(page.Locator(".replay-status")).ToHaveTextAsync("已完成", new() { Timeout = 60_000 });
        await Expect(page.Locator(".notice.done")).ToContainTextAsync("重放结果与现有视图一致");
    }
}
