using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace TimeBank.Api.Tests.StaffConsole;

/// <summary>
/// The grid worker's morning, on Wednesday 2026-11-25 (weeks start on Monday, 11-23): 李大爷 (living alone), paired on
/// 2026-10-05, has had nothing since: greetings missed since 10-05. 张奶奶 (disabled), paired the same day, had a haircut
/// on 11-10 (the month's service), errands on Monday 11-23 (the week's visit) and a call yesterday: only today's
/// greeting is due, since today. So 李大爷 waits longest and comes first, 张奶奶 second; greeted, she leaves the list.
/// </summary>
public sealed class GridWorkerTests
{
    [Test]
    public async Task The_overdue_list_puts_the_longest_waiting_first_and_a_greeting_takes_the_elder_off_it()
    {
        var scene = await AGridWorkersBlockAsync();
        var page = await ConsoleHost.NewPageAsync();
        await page.SignInAsync(scene.Key, scene.Community.Code, "grid-01");

        await page.GotoAsync($"/console/care?gridWorker={scene.GridWorkerId}");

        var elders = page.Locator("ol.overdue > li");
        await Expect(elders).ToHaveCountAsync(2);
        await Expect(elders.Nth(0).Locator(".name")).ToHaveTextAsync("李大爷");
        await Expect(elders.Nth(0)).ToContainTextAsync("等待自 2026年10月5日");
        await Expect(elders.Nth(0).Locator(".tag")).ToHaveTextAsync(["一天一问候", "一周一看望", "一月一服务"]);
        await Expect(elders.Nth(1).Locator(".name")).ToHaveTextAsync("张奶奶");
        await Expect(elders.Nth(1)).ToContainTextAsync("等待自 2026年11月25日");
        await Expect(elders.Nth(1).Locator(".tag")).ToHaveTextAsync(["一天一问候"]);

        // Two taps: the grid worker opened the list, and taps the greeting on 张奶奶's row.
        await elders.Nth(1).GetByRole(AriaRole.Button, new() { Name = "问候 10 分钟" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("已记录：张奶奶");
        await Expect(elders).ToHaveCountAsync(1);
        await Expect(elders.Nth(0).Locator(".name")).ToHaveTextAsync("李大爷");
        var account = await scene.Community.TimeAccountOf(scene.ZhangsVolunteer);
        Assert.That(account.ServicesRecorded, Is.EqualTo(4), "the haircut, the errands, yesterday's call and today's greeting");
        Assert.That(account.Balance, Is.EqualTo(60 + 90 + 10 + 10), "minutes: haircut 60, errands 90, two calls of 10");
    }

    [Test]
    public async Task The_pairing_card_names_the_volunteer_and_the_grid_worker_with_their_phones()
    {
        var scene = await AGridWorkersBlockAsync();
        var page = await ConsoleHost.NewPageAsync();
        await page.SignInAsync(scene.Key, scene.Community.Code, "grid-01");
        await page.GotoAsync($"/console/care?gridWorker={scene.GridWorkerId}");

        await page.Locator("ol.overdue > li").Nth(0).GetByRole(AriaRole.Link, new() { Name = "结对爱心卡" }).ClickAsync();

        var card = page.Locator(".pairing-card dd");
        await Expect(card).ToHaveTextAsync(["李大爷", "王秀兰", "13800000001", "刘网格", "13900000009", "2026年10月5日"]);
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Expect(page.Locator("header.bar")).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "打印" })).ToBeHiddenAsync();
    }

    private sealed record Block(TestCommunity Community, string Key, Guid GridWorkerId, Guid ZhangsVolunteer);

    private static async Task<Block> AGridWorkersBlockAsync()
    {
        var community = await ConsoleHost.ACommunityAsync();
        var gridWorker = await community.AGridWorker();
        var li = await AnElderAsync(community, "李大爷", "living-alone", gridWorker.Id);
        var zhang = await AnElderAsync(community, "张奶奶", "disabled", gridWorker.Id);
        var wang = await community.AVolunteer(enrolledOn: "2026-09-01");
        var zhao = await AVolunteerAsync(community, "赵志强", "13800000002");
        await PairAsync(community, wang.Id, li, "2026-10-05");
        await PairAsync(community, zhao, zhang, "2026-10-05");
        await community.AService(zhao, zhang, "2026-11-10T09:00:00+08:00", 60, "haircut-shave");
        await community.AService(zhao, zhang, "2026-11-23T15:00:00+08:00", 90, "errands");
        await community.AService(zhao, zhang, "2026-11-24T18:00:00+08:00", 10, "greeting-call");
        await ConsoleHost.ViewsCaughtUpAsync();
        var key = await community.AKey("民乐社区网格员", "recorder");
        return new Block(community, key.Key, gridWorker.Id, zhao);
    }

    private static async Task<Guid> AnElderAsync(TestCommunity community, string name, string careCategory, Guid gridWorkerId)
    {
        var response = await community.Http.PostAsJsonAsync(community.Url("/elders"), new { name, careCategory, gridWorkerId, recordedBy = "grid-01" });
        return (await response.ReadCreated<TimeBank.Api.Elders.ElderResponse>()).Id;
    }

    private static async Task<Guid> AVolunteerAsync(TestCommunity community, string name, string phone)
    {
        var response = await community.Http.PostAsJsonAsync(community.Url("/volunteers"), new { name, phone, team = "general-care", enrolledOn = "2026-09-01", recordedBy = "grid-01" });
        return (await response.ReadCreated<TimeBank.Api.Volunteers.VolunteerResponse>()).Id;
    }

    private static async Task PairAsync(TestCommunity community, Guid volunteerId, Guid elderId, string startedOn)
    {
        var response = await community.Http.PostAsJsonAsync(community.Url("/pairings"), new { volunteerId, elderId, basis = "proximity", startedOn, recordedBy = "grid-01" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }
}
