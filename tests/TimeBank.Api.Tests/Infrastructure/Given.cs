using Marten;
using Marten.Events;
using TimeBank.Api.Communities;
using TimeBank.Api.Elders;
using TimeBank.Api.GridWorkers;
using TimeBank.Api.Services;
using TimeBank.Api.Volunteers;
using TimeBank.Domain.Elders;

namespace TimeBank.Api.Tests.Infrastructure;

/// <summary>A community of the test's own, made through the API, with helpers that read like the domain.</summary>
public sealed class TestCommunity(HttpClient http, string code)
{
    public HttpClient Http { get; } = http;

    public string Code { get; } = code;

    public string Url(string path = "") => $"/api/v1/communities/{Code}{path}";

    public async Task<VolunteerResponse> AVolunteer(string team = "general-care", string enrolledOn = "2026-01-05")
    {
        var response = await Http.PostAsJsonAsync(Url("/volunteers"), new { name = "王秀兰", phone = "13800000001", team, enrolledOn, recordedBy = "grid-01" });
        return await response.ReadCreated<VolunteerResponse>();
    }

    public async Task<ElderResponse> AnElder(string careCategory = "living-alone", Guid? gridWorkerId = null)
    {
        var response = await Http.PostAsJsonAsync(Url("/elders"), new { name = "李大爷", careCategory, address = "3号楼2单元", compound = "3号院", gridWorkerId, recordedBy = "grid-01" });
        return await response.ReadCreated<ElderResponse>();
    }

    public async Task<GridWorkerResponse> AGridWorker() =>
        await (await Http.PostAsJsonAsync(Url("/grid-workers"), new { name = "刘网格", phone = "13900000009", block = "第三网格", recordedBy = "office-01" }))
            .ReadCreated<GridWorkerResponse>();

    public Task<HttpResponseMessage> Pair(Guid volunteerId, Guid elderId, string basis = "proximity") =>
        Http.PostAsJsonAsync(Url("/pairings"), new { volunteerId, elderId, basis, recordedBy = "grid-01" });

    public Task<HttpResponseMessage> RecordService(Guid volunteerId, Guid elderId, string serviceType, string startedAt, int minutes, Guid? serviceId = null) =>
        Http.PostAsJsonAsync(Url("/services"), new { serviceId, volunteerId, elderIds = new[] { elderId }, serviceType, startedAt, minutes, recordedBy = "grid-01" });

    /// <summary>A service recorded and accepted: the test fails here if it was refused.</summary>
    public async Task<ServiceResponse> AService(Guid volunteerId, Guid elderId, string startedAt, int minutes, string serviceType = "home-visit") =>
        await (await RecordService(volunteerId, elderId, serviceType, startedAt, minutes)).ReadCreated<ServiceResponse>();

    /// <summary>The community's rules with a cap on the minutes a volunteer banks a day; the test fails here if they were refused.</summary>
    public async Task CapDailyMinutes(int cap)
    {
        var rules = await Http.PostAsJsonAsync(Url("/rules"), new { dailyBankedMinutesCap = cap, holdExpiryHours = 72, giftsToFamilyAllowed = false, recordedBy = "office-01" });
        Assert.That(rules.IsSuccessStatusCode, Is.True, await rules.Content.ReadAsStringAsync());
    }

    public async Task<ServiceResponse> ServiceOf(Guid serviceId) =>
        (await Http.GetFromJsonAsync<ServiceResponse>(Url($"/services/{serviceId}"), Json.Options))!;

    public async Task<TimeAccountResponse> TimeAccountOf(Guid volunteerId) =>
        (await Http.GetFromJsonAsync<TimeAccountResponse>(Url($"/volunteers/{volunteerId}/time-account"), Json.Options))!;

    /// <summary>Every event of this community, to show that a refused request wrote nothing.</summary>
    public async Task<long> EventCount()
    {
        await using var session = TestHost.Factory.Store.QuerySession(Code);
        // Not Marten's tombstones: a write that failed (a lost race, decided again) leaves one where its sequence numbers went.
        return await session.Events.QueryAllRawEvents().Where(e => e.EventTypeName != "tombstone").CountAsync();
    }

    /// <summary>A partner key for this community only, with the roles named (reader, recorder, store, auditor, admin).</summary>
    public async Task<TimeBank.Api.Partners.IssuedKeyResponse> AKey(string partner, params string[] roles) =>
        await (await Http.PostAsJsonAsync("/api/v1/keys", new { partner, roles, communities = new[] { Code }, recordedBy = "office-01" }))
            .ReadCreated<TimeBank.Api.Partners.IssuedKeyResponse>();

    /// <summary>
    /// Runs the auditor's replay of this community (every view folded again from the log) and answers the
    /// differences it found from the live views, as JSON; the test fails if it does not finish.
    /// </summary>
    public async Task<IReadOnlyList<string>> ReplayDifferences()
    {
        await TestHost.Factory.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        var started = await Http.PostAsJsonAsync("/api/v1/audit/replays", new { community = Code, recordedBy = "auditor-01" });
        Assert.That(started.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await started.Content.ReadAsStringAsync());
        System.Text.Json.Nodes.JsonNode run;
        var until = DateTime.UtcNow.AddSeconds(120);
        do
        {
            await Task.Delay(250);
            run = System.Text.Json.Nodes.JsonNode.Parse(await Http.GetStringAsync(started.Headers.Location))!;
        }
        while (run["status"]!.GetValue<string>() is "waiting" or "running" && DateTime.UtcNow < until);

        Assert.That(run["status"]!.GetValue<string>(), Is.EqualTo("finished"), run.ToJsonString());
        return [.. run["result"]!["views"]!.AsArray().SelectMany(v => v!["differences"]!.AsArray()).Select(d => d!.ToJsonString())];
    }

    /// <summary>The events of this community up to a place in the log.</summary>
    public async Task<int> EventCountUpTo(long sequence)
    {
        await using var session = TestHost.Factory.Store.QuerySession(Code);
        return await session.Events.QueryAllRawEvents().Where(e => e.Sequence <= sequence && e.EventTypeName != "tombstone").CountAsync();
    }
}

public static class Given
{
    /// <param name="host">The host to make it on: the run's own unless a test started one of its own.</param>
    public static async Task<TestCommunity> ACommunity(string timeZone = "Asia/Shanghai", string? county = null, TimeBankFactory? host = null)
    {
        var http = (host ?? TestHost.Factory).CreateClient();
        var code = "t-" + Guid.NewGuid().ToString("N")[..12];
        var response = await http.PostAsJsonAsync("/api/v1/communities", new { code, name = "测试社区", timeZone, county, recordedBy = "office-01" });
        await response.ReadCreated<CommunityResponse>();
        return new TestCommunity(http, code);
    }
}
