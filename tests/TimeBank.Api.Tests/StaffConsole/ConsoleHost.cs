using Marten;
using Marten.Events;
using Microsoft.Playwright;

namespace TimeBank.Api.Tests.StaffConsole;

/// <summary>
/// The staff console's tests: a service host of their own on a real Kestrel port (the console calls the API at the
/// address it listens on, and a browser needs one), on a database of its own (a second host on the suite's database
/// would be a second node sharing its async views), and Debian's chromium driven by Playwright. The clock stands
/// at Wednesday 2026-11-25 10:00 in Shanghai, in the fourth quarter, so the third is over and can be closed.
/// </summary>
[SetUpFixture]
public sealed class ConsoleHost
{
    public const string Chromium = "/usr/bin/chromium";

    public static readonly DateTimeOffset Now = new(2026, 11, 25, 2, 0, 0, TimeSpan.Zero);

    private static TimeBankFactory? _host;
    private static IPlaywright? _playwright;
    private static IBrowser? _browser;

    public static TimeBankFactory Host => _host ?? throw new InvalidOperationException("The console host has not started.");

    public static IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        if (!File.Exists(Chromium)) Assert.Fail($"No {Chromium}: run the tests with ./build.sh --target=Test, which installs Debian's chromium.");
        _host = TestHost.StartHost("Testing", await TestHost.FreshDatabaseAsync(null, "_console"), onKestrel: true, clock: Now);
        _playwright = await Playwright.CreateAsync();
        // The machine's own chromium: Playwright never downloads a browser here. Without a sandbox, as it runs as root in CI.
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_host is not null) await _host.DisposeAsync();
    }

    /// <summary>A browser of its own (cookies included) on the console, the size of a phone unless asked.</summary>
    public static async Task<IPage> NewPageAsync(int width = 412, int height = 915)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Host.Address.ToString().TrimEnd('/'),
            Locale = "zh-CN",
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>A community of the test's own on the console host, made through the API with the host's admin key.</summary>
    public static async Task<TestCommunity> ACommunityAsync()
    {
        var http = Host.CreateClient();
        var code = "c-" + Guid.NewGuid().ToString("N")[..12];
        var response = await http.PostAsJsonAsync("/api/v1/communities", new { code, name = "民乐社区", timeZone = "Asia/Shanghai", recordedBy = "office-01" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return new TestCommunity(http, code);
    }

    /// <summary>The async views (the care days, the totals) have taken in every event so far.</summary>
    public static Task ViewsCaughtUpAsync() => Host.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
}

/// <summary>What a staff member does in the browser, in the console's words.</summary>
public static class ConsolePages
{
    /// <summary>Signs in with a key at the console's sign-in page, as a staff member types it.</summary>
    public static async Task SignInAsync(this IPage page, string key, string? community, string recordedBy = "staff-01")
    {
        await page.GotoAsync("/console/sign-in");
        await page.Locator("#key").FillAsync(key);
        if (community is not null) await page.Locator("#community").FillAsync(community);
        await page.Locator("#recorded-by").FillAsync(recordedBy);
        await page.Locator("main form button[type=submit]").ClickAsync();
    }

    /// <summary>The main navigation's links, as shown.</summary>
    public static Task<IReadOnlyList<string>> SectionsAsync(this IPage page) => page.Locator("nav.roles a").AllInnerTextsAsync();
}
