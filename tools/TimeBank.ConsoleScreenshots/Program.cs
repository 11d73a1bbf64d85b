using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

// Signs in to the staff console of a running service with a key per role and photographs its main pages.
// Arguments: the service's address, an admin key for all communities, the community, the folder for the PNGs.
if (args.Length < 4)
{
    Console.Error.WriteLine("usage: TimeBank.ConsoleScreenshots <service address> <admin key> <community> <folder>");
    return 2;
}

var (address, adminKey, community, folder) = (args[0].TrimEnd('/'), args[1], args[2], args[3]);
Directory.CreateDirectory(folder);
using var api = new HttpClient { BaseAddress = new Uri(address) };
api.DefaultRequestHeaders.Add("X-Api-Key", adminKey);

async Task<JsonElement> Post(string path, object body)
{
    var response = await api.PostAsJsonAsync(path, body);
    var text = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {text}");
    return JsonDocument.Parse(text).RootElement;
}

async Task<JsonElement> Get(string path) => JsonDocument.Parse(await api.GetStringAsync(path)).RootElement;

async Task<string> KeyFor(string partner, string role, string communities) =>
    (await Post("/api/v1/keys", new { partner, roles = new[] { role }, communities = new[] { communities }, recordedBy = "office-01" })).GetProperty("key").GetString()!;

var inCommunity = $"/api/v1/communities/{community}";
// The sample community has no station: the pictures show one with a few goods (placed through the API like any other).
var stations = (await Get($"{inCommunity}/stations")).GetProperty("items");
if (stations.GetArrayLength() == 0)
{
    var station = (await Post($"{inCommunity}/stations", new { name = "新时代文明实践站", recordedBy = "store-01" })).GetProperty("stationId").GetString();
    foreach (var (name, unit, points, stock) in new[] { ("大米 5kg", "袋", 60, 40), ("食用油 1.8L", "桶", 80, 25), ("毛巾", "条", 15, 120), ("洗衣液", "瓶", 30, 60), ("鸡蛋 30枚", "盒", 35, 50) })
    {
        await Post($"{inCommunity}/stations/{station}/items", new { name, unit, pricePoints = points, stock, recordedBy = "store-01" });
    }
}

var keys = new Dictionary<string, string>
{
    ["recorder"] = await KeyFor("民乐社区网格员", "recorder", community),
    ["store"] = await KeyFor("民乐实践站柜台", "store", community),
    ["admin"] = await KeyFor("民乐社区办公室", "admin", community),
    ["auditor"] = await KeyFor("县民政局审计", "auditor", "*"),
};

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM") ?? "/usr/bin/chromium",
    Headless = true,
    Args = ["--no-sandbox"],
});

async Task<IPage> SignedIn(string role, int width, int height, string language = "zh")
{
    var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = address, ViewportSize = new ViewportSize { Width = width, Height = height }, Locale = "zh-CN" });
    var page = await context.NewPageAsync();
    if (language == "en") await page.GotoAsync("/console/language/en?back=/console/sign-in");
    await page.GotoAsync("/console/sign-in");
    await page.Locator("#key").FillAsync(keys[role]);
    await page.Locator("#community").FillAsync(community);
    await page.Locator("#recorded-by").FillAsync($"{role}-01");
    await page.Locator("main form button[type=submit]").ClickAsync();
    await page.WaitForURLAsync("**/console");
    return page;
}

async Task Shoot(IPage page, string path, string name, bool fullPage = false)
{
    await page.GotoAsync(path);
    var file = Path.Combine(folder, $"{name}.png");
    await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = fullPage });
    Console.WriteLine($"Wrote {file}");
}

// The sign-in page, on a phone.
var phone = await (await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = address, ViewportSize = new ViewportSize { Width = 412, Height = 760 } })).NewPageAsync();
await Shoot(phone, "/console/sign-in", "console-sign-in");

// The grid worker's phone: the overdue list and a pairing card.
var gridWorker = await SignedIn("recorder", 412, 915);
await Shoot(gridWorker, "/console/care", "console-overdue");
var firstElder = await gridWorker.Locator("ol.overdue > li").First.GetAttributeAsync("data-elder");
if (firstElder is not null) await Shoot(gridWorker, $"/console/care/elders/{firstElder}/card", "console-pairing-card");
await Shoot(gridWorker, "/console/care/upcoming", "console-upcoming");

// The counter's PC: the stock and a volunteer with the exchange form.
var counter = await SignedIn("store", 1280, 800);
await Shoot(counter, "/console/station", "console-station");
var volunteers = (await Get($"{inCommunity}/volunteers?limit=5")).GetProperty("items");
var stationId = (await Get($"{inCommunity}/stations")).GetProperty("items")[0].GetProperty("stationId").GetString();
if (volunteers.GetArrayLength() > 0)
{
    await Shoot(counter, $"/console/station/{stationId}/volunteers/{volunteers[0].GetProperty("id").GetString()}", "console-exchange");
}

// The office: the community's figures, in Chinese and in English, and the last closed quarter.
var office = await SignedIn("admin", 1280, 900);
await Shoot(office, "/console/office", "console-office", fullPage: true);
var closed = await office.Locator("ul.quarters a").First.GetAttributeAsync("href");
if (closed is not null) await Shoot(office, closed, "console-quarter");
var officeInEnglish = await SignedIn("admin", 1280, 900, "en");
await Shoot(officeInEnglish, "/console/office", "console-office-en", fullPage: true);

// The auditor: the chain and the last checkpoint.
var auditor = await SignedIn("auditor", 1280, 800);
await Shoot(auditor, "/console/audit", "console-audit");
return 0;
