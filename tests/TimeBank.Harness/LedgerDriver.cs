using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace TimeBank.Harness;

/// <summary>
/// The few REST calls the benchmark and the chaos runs set their scenes with: communities of their own with
/// volunteers and elders, quarter closings, plain JSON posts and gets that fail loudly.
/// </summary>
public sealed class LedgerDriver(HttpClient http, DateTimeOffset now, string runId)
{
    public const string Recorder = "harness";
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    public HttpClient Http { get; } = http;

    /// <summary>The service's "now" when the run began.</summary>
    public DateTimeOffset Now { get; } = now;

    /// <summary>Makes the names of the run's communities its own, so runs never share a stream.</summary>
    public string RunId { get; } = runId;

    /// <summary>The day of <see cref="Now"/> in Shanghai.</summary>
    public DateOnly Today => DateOnly.FromDateTime(Now.ToOffset(Shanghai).DateTime);

    /// <summary>The last whole quarter before <see cref="Now"/> in Shanghai, and its first day.</summary>
    public (string Code, DateOnly FirstDay) LastWholeQuarter()
    {
        var first = new DateOnly(Today.Year, ((Today.Month - 1) / 3 * 3) + 1, 1).AddMonths(-3);
        return ($"{first.Year}Q{((first.Month - 1) / 3) + 1}", first);
    }

    /// <summary>
    /// Every quarter that has ended, from the one holding <paramref name="day"/> (or the last whole one, if that
    /// is later) to the last whole one, oldest first: what a community closes as it goes.
    /// </summary>
    public IReadOnlyList<string> QuartersEndedSince(DateOnly day)
    {
        var (_, last) = LastWholeQuarter();
        var quarters = new List<string>();
        var start = new DateOnly(day.Year, ((day.Month - 1) / 3 * 3) + 1, 1);
        for (var first = start < last ? start : last; first <= last; first = first.AddMonths(3))
        {
            quarters.Add($"{first.Year}Q{((first.Month - 1) / 3) + 1}");
        }

        return quarters;
    }

    /// <summary>Enrolment long enough ago that a run's services, minutes apart, never reach today.</summary>
    public DateOnly FiveYearsAgo => Today.AddYears(-5);

    public static DateTimeOffset At(DateOnly day, int minutesAfterMidnight) =>
        new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), Shanghai).AddMinutes(minutesAfterMidnight);

    /// <summary>A community of the run's own, with <paramref name="volunteers"/> volunteers enrolled on <paramref name="enrolledOn"/>, each with an elder.</summary>
    public async Task<RunCommunity> NewCommunityAsync(string purpose, int volunteers, DateOnly enrolledOn)
    {
        var code = $"{purpose}-{RunId}";
        await PostAsync("/api/v1/communities", new { code, name = "测试社区", timeZone = "Asia/Shanghai", recordedBy = Recorder });
        var people = new List<(Guid, Guid)>();
        for (var i = 0; i < volunteers; i++)
        {
            var volunteer = await PostAsync($"/api/v1/communities/{code}/volunteers", new { name = $"志愿者{i}", team = "general-care", enrolledOn, recordedBy = Recorder });
            var elder = await PostAsync($"/api/v1/communities/{code}/elders", new { name = $"老人{i}", careCategory = "living-alone", recordedBy = Recorder });
            people.Add((volunteer["id"]!.GetValue<Guid>(), elder["id"]!.GetValue<Guid>()));
        }

        return new RunCommunity(code, enrolledOn, people);
    }

    /// <summary>
    /// Records <paramref name="perVolunteer"/> ten-minute greeting calls for each volunteer of the community, eleven
    /// minutes apart (or <paramref name="minutesApart"/>) from 06:00 on <paramref name="firstDay"/>, through the bulk
    /// endpoint; answers how many it recorded.
    /// </summary>
    public async Task<long> RecordGreetingsAsync(RunCommunity community, DateOnly firstDay, int perVolunteer, int callSize, int minutesApart = 11)
    {
        var records = Enumerable.Range(0, perVolunteer)
            .SelectMany(i => community.People.Select(p => GreetingCall(Guid.CreateVersion7(), p, At(firstDay, 360 + (minutesApart * i)), 10)))
            .ToList();
        long recorded = 0;
        foreach (var call in records.Chunk(callSize))
        {
            var taken = (await PostAsync($"/api/v1/communities/{community.Code}/services/batch", new { records = call }))["recorded"]!.GetValue<int>();
            if (taken != call.Length) throw new InvalidOperationException($"The batch took {taken} of {call.Length} services.");
            recorded += taken;
        }

        return recorded;
    }

    /// <summary>The body of <c>POST …/services</c> (or one record of a batch) for a greeting call of a volunteer to their elder.</summary>
    public static object GreetingCall(Guid serviceId, (Guid Volunteer, Guid Elder) person, DateTimeOffset startedAt, int minutes) => new
    {
        serviceId,
        volunteerId = person.Volunteer,
        elderIds = new[] { person.Elder },
        serviceType = "greeting-call",
        startedAt,
        minutes,
        recordedBy = Recorder,
    };

    /// <summary>
    /// Runs an auditor's replay of every view (of one community, or all when null) and waits for it: the finished
    /// replay's <c>result</c>, or null when it is still going after <paramref name="limit"/>.
    /// </summary>
    public async Task<JsonNode?> ReplayAsync(string? community, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        var id = (await PostAsync("/api/v1/audit/replays", new { community, recordedBy = Recorder }))["id"]!.GetValue<Guid>();
        while (DateTime.UtcNow < until)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250));
            var replay = await GetAsync($"/api/v1/audit/replays/{id}");
            switch (replay["status"]!.GetValue<string>())
            {
                case "finished": return replay["result"]!;
                case "failed": throw new InvalidOperationException($"The replay failed: {replay["progress"]?.ToJsonString()}");
            }
        }

        return null;
    }

    /// <summary>Whether a replay's result found every view equal to the live one.</summary>
    public static bool ViewsEqual(JsonNode result) => result["views"]!.AsArray().All(v => v!["differences"]!.AsArray().Count == 0);

    /// <summary>Closes a quarter, waiting while the care views catch up (409 with Retry-After), for at most <paramref name="limit"/>.</summary>
    public async Task CloseQuarterAsync(string community, string quarter, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (true)
        {
            var response = await Http.PostAsJsonAsync($"/api/v1/communities/{community}/quarters/{quarter}/closing", new { recordedBy = Recorder });
            if (response.IsSuccessStatusCode) return;
            if (response.StatusCode != HttpStatusCode.Conflict || response.Headers.RetryAfter is null || DateTime.UtcNow > until)
            {
                throw new InvalidOperationException($"Closing {quarter} of {community} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }

            await Task.Delay(response.Headers.RetryAfter.Delta ?? TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Opens a station with items at one point each and the given stock; answers the station's and the items' ids.</summary>
    public async Task<(Guid Station, IReadOnlyList<Guid> Items)> OpenStationAsync(string community, int items, int stock)
    {
        var stationId = (await PostAsync($"/api/v1/communities/{community}/stations", new { name = "新时代文明实践站", recordedBy = Recorder }))["stationId"]!.GetValue<Guid>();
        var ids = new List<Guid>();
        for (var i = 0; i < items; i++)
        {
            var added = await PostAsync($"/api/v1/communities/{community}/stations/{stationId}/items",
                new { name = $"日用品{i}", unit = "件", pricePoints = 1, stock, recordedBy = Recorder });
            ids.Add(added["items"]!.AsArray().Select(item => item!["itemId"]!.GetValue<Guid>()).Except(ids).Single());
        }

        return (stationId, ids);
    }

    public async Task<JsonNode> PostAsync(string path, object body)
    {
        var response = await Http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(text) ?? new JsonObject()
            : throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {text}");
    }

    public async Task<JsonNode> GetAsync(string path)
    {
        var response = await Http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(text)!
            : throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {text}");
    }
}

/// <summary>A community made by a run: its code, and each volunteer with the elder they serve.</summary>
public sealed record RunCommunity(string Code, DateOnly EnrolledOn, IReadOnlyList<(Guid Volunteer, Guid Elder)> People);
