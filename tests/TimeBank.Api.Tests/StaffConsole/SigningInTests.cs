using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace TimeBank.Api.Tests.StaffConsole;

public sealed class SigningInTests
{
    [Test]
    public async Task A_recorder_key_signs_in_and_sees_only_the_grid_workers_pages()
    {
        var community = await ConsoleHost.ACommunityAsync();
        var key = await community.AKey("民乐社区网格员", "recorder");
        var page = await ConsoleHost.NewPageAsync();

        // The key covers one community: it need not be named.
        await page.SignInAsync(key.Key, community: null, recordedBy: "grid-01");

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("您好，grid-01");
        Assert.That(await page.SectionsAsync(), Is.EqualTo(new[] { "网格员" }));
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "timebank-console");
        Assert.Multiple(() =>
        {
            Assert.That(cookie.HttpOnly, Is.True, "the key's cookie is out of reach of scripts");
            Assert.That(cookie.Value, Does.Not.Contain(key.Key), "the cookie holds the key encrypted, never as it is");
        });
    }

    [Test]
    public async Task A_sign_in_made_on_one_node_opens_on_another_that_shares_the_key_ring()
    {
        var community = await ConsoleHost.ACommunityAsync();
        var key = await community.AKey("民乐社区网格员", "recorder");
        var page = await ConsoleHost.NewPageAsync();
        await page.SignInAsync(key.Key, community.Code, "grid-01");
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "timebank-console");

        // The suite's main host is another node of the same service, configured with the same key ring directory.
        var otherNode = TestHost.Factory.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(TimeBank.Api.StaffConsole.ConsoleSetup.Scheme);
        var ticket = otherNode.TicketDataFormat.Unprotect(cookie.Value);

        Assert.That(TimeBank.Api.StaffConsole.StaffMember.Of(ticket?.Principal), Is.EqualTo(new TimeBank.Api.StaffConsole.StaffMember(
            key.Key, "民乐社区网格员", [TimeBank.Domain.Partners.PartnerRole.Recorder], [community.Code], community.Code, "grid-01")).Using<TimeBank.Api.StaffConsole.StaffMember>(SameStaff));
        var keyRing = TestHost.ServiceSettings(TestHost.ConnectionString)["Console__KeyRingDirectory"];
        Assert.That(Directory.GetFiles(keyRing, "key-*.xml"), Is.Not.Empty, "the key ring is kept in its directory, not only in memory");
    }

    private static bool SameStaff(TimeBank.Api.StaffConsole.StaffMember a, TimeBank.Api.StaffConsole.StaffMember b) =>
        (a.Key, a.Partner, a.Community, a.RecordedBy) == (b.Key, b.Partner, b.Community, b.RecordedBy) && a.Roles.SequenceEqual(b.Roles) && a.Communities.SequenceEqual(b.Communities);

    [Test]
    public async Task A_key_revoked_after_signing_in_signs_the_staff_member_out()
    {
        var community = await ConsoleHost.ACommunityAsync();
        var key = await community.AKey("民乐社区网格员", "recorder");
        var page = await ConsoleHost.NewPageAsync();
        await page.SignInAsync(key.Key, community.Code, "grid-01");

        var revoked = await community.Http.PostAsJsonAsync($"/api/v1/keys/{key.KeyId}/revocation", new { recordedBy = "office-01" });
        Assert.That(revoked.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await page.GotoAsync("/console/care");

        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("密钥无效或已被吊销");
        await page.GotoAsync("/console");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/sign-in"));
    }

    [Test]
    public async Task A_wrong_key_is_refused_in_the_staff_members_language()
    {
        var community = await ConsoleHost.ACommunityAsync();
        var page = await ConsoleHost.NewPageAsync();

        await page.SignInAsync("tb_00000000000000000000000000000000_notasecret", community.Code);

        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("密钥无效或已被吊销");
        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await page.SignInAsync("tb_00000000000000000000000000000000_notasecret", community.Code);
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("The key is not valid, or was revoked");
        Assert.That(await page.Context.CookiesAsync(), Has.None.Matches<BrowserContextCookiesResult>(c => c.Name == "timebank-console"));
    }

    [Test]
    public async Task A_key_without_the_role_sees_no_such_page()
    {
        var community = await ConsoleHost.ACommunityAsync();
        var key = await community.AKey("民乐实践站柜台", "store");
        var page = await ConsoleHost.NewPageAsync();
        await page.SignInAsync(key.Key, community.Code, "store-01");

        Assert.That(await page.SectionsAsync(), Is.EqualTo(new[] { "积分兑换站" }));
        foreach (var path in new[] { "/console/office", "/console/care", "/console/audit" })
        {
            var response = await page.GotoAsync(path);
            Assert.That(response!.Status, Is.EqualTo(403), path);
            await Expect(page.Locator("h1")).ToHaveTextAsync("您的密钥无权打开这个页面");
        }

        var report = await page.APIRequest.GetAsync("/console/reports/2026Q3/html", new() { MaxRedirects = 0 });
        Assert.That(report.Status, Is.EqualTo(302), "a report download needs the auditor or admin role too");
    }

    [Test]
    public async Task A_form_posted_without_its_antiforgery_token_is_refused_and_records_nothing()
    {
        var community = await ConsoleHost.ACommunityAsync();
        var volunteer = await community.AVolunteer(enrolledOn: "2026-09-01");
        var elder = await community.AnElder();
        Assert.That((await community.Pair(volunteer.Id, elder.Id)).IsSuccessStatusCode, Is.True);
        var key = await community.AKey("民乐社区网格员", "recorder");
        var page = await ConsoleHost.NewPageAsync();
        await page.SignInAsync(key.Key, community.Code, "grid-01");
        var events = await EventsOf(community);

        // The signed-in browser's own cookies, the form's fields, but no token: as a page of another site would post it.
        var forged = await page.APIRequest.PostAsync("/console/care", new()
        {
            Headers = new Dictionary<string, string> { ["Content-Type"] = "application/x-www-form-urlencoded" },
            DataString = $"_handler=record-care&Input.SubmissionKey={Guid.NewGuid()}&Input.Choice=greeting-call%7C{elder.Id}%7C{volunteer.Id}",
        });

        Assert.That(forged.Status, Is.EqualTo(400));
        Assert.That(await EventsOf(community), Is.EqualTo(events));
    }

    private static async Task<int> EventsOf(TestCommunity community)
    {
        await using var session = ConsoleHost.Host.Store.QuerySession(community.Code);
        return await Marten.QueryableExtensions.CountAsync(session.Events.QueryAllRawEvents().Where(e => e.EventTypeName != "tombstone"));
    }
}
