using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TimeBank.Harness;

namespace TimeBank.Bench;

/// <summary>
/// What every measurement of one run shares: the service, a key that may do everything, the database, the
/// scale, the service's "now", and the communities the run makes for itself (named after the run, so runs
/// never share a stream).
/// </summary>
public sealed class BenchRun(IServiceUnderTest service, string apiKey, string connectionString, BenchScale scale, DateTimeOffset now, string county, TextWriter log)
{
    public const string Recorder = "bench";
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    public IServiceUnderTest Service { get; } = service;

    public string ConnectionString { get; } = connectionString;

    public BenchScale Scale { get; } = scale;

    public DateTimeOffset Now { get; } = now;

    /// <summary>The county data set's county; its communities are <c>{County}-01</c>, <c>-02</c>...</summary>
    public string County { get; } = county;

    public string RunId { get; } = Guid.NewGuid().ToString("N")[..8];

    public HttpClient Http { get; } = service.NewClient(apiKey);

    public TextWriter Log { get; } = log;

    public string CountyCommunity(int number) => $"{County}-{number:00}";

    /// <summary>The last whole quarter before <see cref="Now"/>, in the community's calendar: the one the county closes.</summary>
    public (string Code, DateOnly FirstDay) LastWholeQuarter()
    {
        var today = DateOnly.FromDateTime(Now.ToOffset(Shanghai).DateTime);
        var first = new DateOnly(today.Year, ((today.Month - 1) / 3 * 3) + 1, 1).AddMonths(-3);
        return ($"{first.Year}Q{((first.Month - 1) / 3) + 1}", first);
    }

    /// <summary>Enrolment for the run's own communities: long enough ago that a run's services, eleven minutes apart, never reach today.</summary>
    public static DateOnly FiveYearsBefore(DateTimeOffset now) => DateOnly.FromDateTime(now.ToOffset(Shanghai).DateTime).AddYears(-5);

    public static DateTimeOffset At(DateOnly day, int minutesAfterMidnight) => new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), Shanghai).AddMinutes(minutesAfterMidnight);

    /// <summary>A community of the run's own, with <paramref name="volunteers"/> volunteers enrolled on <paramref name="enrolledOn"/>, each with an elder.</summary>
    public async Task<RunCommunity> NewCommunityAsync(string purpose, int volunteers, DateOnly enrolledOn)
    {
        var code = $"bench-{purpose}-{RunId}";
        await PostAsync("/api/v1/communities", new { code, name = "基准社区", timeZone = "Asia/Shanghai", recordedBy = Recorder });
        var people = new List<(Guid, Guid)>();
        for (var i = 0; i < volunteers; i++)
        {
            var volunteer = await PostAsync($"/api/v1/communities/{code}/volunteers",
                new { name = $"志愿者{i}", team = "general-care", enrolledOn, recordedBy = Recorder });
            var elder = await PostAsync($"/api/v1/communities/{code}/elders", new { name = $"老人{i}", careCategory = "living-alone", recordedBy = Recorder });
            people.Add((volunteer["id"]!.GetValue<Guid>(), elder["id"]!.GetValue<Guid>()));
        }

        return new RunCommunity(code, enrolledOn, people);
    }

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

    public void Say(string line) => Log.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");

    public static string Number(double value) => value.ToString("#,0", CultureInfo.InvariantCulture);
}

/// <summary>A community made by the run: its code, and each volunteer with the elder they serve.</summary>
public sealed record RunCommunity(string Code, DateOnly EnrolledOn, IReadOnlyList<(Guid Volunteer, Guid Elder)> People);
