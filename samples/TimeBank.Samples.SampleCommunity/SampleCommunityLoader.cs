using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TimeBank.Samples.SampleCommunity;

/// <summary>
/// Loads the sample plan through the REST API as a partner would: registers the community and its grid
/// workers, enrols volunteers, registers elders, pairs each elder with a neighbouring volunteer, then records
/// the six-ones rhythm of the last days: a greeting every day, a home visit every week, a professional
/// service every month, the quarter's alliance activity, an activity at each festival (the service says when
/// they fall) and a visit on each birthday. Does nothing when the community already exists.
/// </summary>
public sealed class SampleCommunityLoader(HttpClient http, TextWriter output)
{
    private const string Recorder = "sample-loader";
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    /// <param name="county">The county the community belongs to, when it is read together with others.</param>
    public async Task<bool> LoadAsync(string code, int days, DateTimeOffset now, string? county = null, CancellationToken cancellation = default)
    {
        var existing = await http.GetAsync($"/api/v1/communities/{code}", cancellation);
        if (existing.StatusCode == HttpStatusCode.OK)
        {
            output.WriteLine($"The community '{code}' is already there; nothing loaded.");
            return false;
        }

        var plan = new SampleCommunityPlan();
        await Post("/api/v1/communities", new { code, name = "民乐社区", timeZone = "Asia/Shanghai", county, recordedBy = Recorder }, cancellation);
        var community = $"/api/v1/communities/{code}";

        var firstDay = DateOnly.FromDateTime(now.ToOffset(Shanghai).DateTime).AddDays(1 - days);
        var gridWorkerIds = new List<Guid>();
        foreach (var gridWorker in plan.GridWorkers)
        {
            gridWorkerIds.Add(await PostForId($"{community}/grid-workers", new { name = gridWorker.Name, phone = gridWorker.Phone, block = gridWorker.Block, recordedBy = Recorder }, cancellation));
        }

        var elderIds = new Guid[plan.Elders.Count];
        foreach (var elder in plan.Elders)
        {
            var body = new
            {
                name = elder.Name,
                careCategory = elder.CareCategory,
                address = elder.Address,
                compound = elder.Compound,
                birthDate = elder.BirthDate,
                gridWorkerId = gridWorkerIds[elder.GridWorker],
                recordedBy = Recorder,
            };
            elderIds[elder.Number] = await PostForId($"{community}/elders", body, cancellation);
        }

        var festivals = await FestivalDaysAsync(community, firstDay, firstDay.AddDays(days - 1), cancellation);
        var servicesByVolunteer = new List<List<object>>();
        foreach (var volunteer in plan.Volunteers)
        {
            var body = new { name = volunteer.Name, phone = volunteer.Phone, team = volunteer.Team, enrolledOn = firstDay.AddDays(-30), recordedBy = Recorder };
            var volunteerId = await PostForId($"{community}/volunteers", body, cancellation);
            foreach (var elder in volunteer.ElderNumbers)
            {
                await Post($"{community}/pairings", new { volunteerId, elderId = elderIds[elder], basis = "proximity", startedOn = firstDay.AddDays(-30), recordedBy = Recorder }, cancellation);
            }

            servicesByVolunteer.Add(RhythmOf(volunteer, volunteerId, elderIds, plan, festivals, firstDay, days, now).ToList());
        }

        // As a partner's nightly sync would: many records a call, each volunteer's in the order they happened.
        foreach (var batch in servicesByVolunteer.SelectMany(s => s).Chunk(BatchSize))
        {
            await PostBatch($"{community}/services/batch", batch, cancellation);
        }

        var count = servicesByVolunteer.Sum(s => s.Count);
        output.WriteLine($"Loaded '{code}': {plan.Volunteers.Count} volunteers, {plan.Elders.Count} elders, {count} services over {days} days.");
        return true;
    }

    /// <summary>
    /// One volunteer's services, spaced so that none overlap: for each paired elder a ten-minute greeting
    /// every morning (08:00, 08:20), an hour's visit on one weekday (14:00, 15:30), an hour's professional
    /// service on one day of each month (16:30, 17:40), a 45-minute birthday visit (19:00, 20:00); halfway
    /// through, a two-hour alliance activity (09:30) with all their elders at once, and the same for an
    /// hour and a half at noon on each festival.
    /// </summary>
    private static IEnumerable<object> RhythmOf(
        SampleVolunteer volunteer, Guid volunteerId, Guid[] elderIds, SampleCommunityPlan plan, IReadOnlySet<DateOnly> festivals, DateOnly firstDay, int days, DateTimeOffset now)
    {
        DateTimeOffset At(DateOnly day, int hour, int minute) => new(day.ToDateTime(new TimeOnly(hour, minute)), Shanghai);

        for (var d = 0; d < days; d++)
        {
            var day = firstDay.AddDays(d);
            for (var i = 0; i < volunteer.ElderNumbers.Count; i++)
            {
                var number = volunteer.ElderNumbers[i];
                var elderId = elderIds[number];
                var greeting = At(day, 8, 0).AddMinutes(20 * i);
                if (greeting <= now) yield return Service(volunteerId, [elderId], "greeting-call", greeting, 10);

                var visit = At(day, 14, 0).AddMinutes(90 * i);
                if (number % 7 == (int)day.DayOfWeek && visit <= now) yield return Service(volunteerId, [elderId], "home-visit", visit, 60);

                var monthly = At(day, 16, 30).AddMinutes(70 * i);
                var monthlyType = number % 2 == 0 ? "haircut-shave" : "cleaning-laundry";
                if ((number % 28) + 1 == day.Day && monthly <= now) yield return Service(volunteerId, [elderId], monthlyType, monthly, 60);

                var birthday = At(day, 19, 0).AddMinutes(60 * i);
                var born = plan.Elders[number].BirthDate;
                if (born.Month == day.Month && born.Day == day.Day && birthday <= now) yield return Service(volunteerId, [elderId], "birthday-visit", birthday, 45);
            }

            var festival = At(day, 12, 0);
            if (festivals.Contains(day) && volunteer.ElderNumbers.Count > 0 && festival <= now)
            {
                yield return Service(volunteerId, [.. volunteer.ElderNumbers.Select(n => elderIds[n])], "festival-activity", festival, 90);
            }

            var alliance = At(day, 9, 30);
            if (d == days / 2 && volunteer.ElderNumbers.Count > 0 && alliance <= now)
            {
                yield return Service(volunteerId, [.. volunteer.ElderNumbers.Select(n => elderIds[n])], "alliance-activity", alliance, 120);
            }
        }
    }

    private sealed record FestivalDay(DateOnly Date);

    private async Task<IReadOnlySet<DateOnly>> FestivalDaysAsync(string community, DateOnly from, DateOnly to, CancellationToken cancellation)
    {
        var festivals = await http.GetFromJsonAsync<List<FestivalDay>>($"{community}/care/festivals?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}", cancellation);
        return festivals!.Select(f => f.Date).ToHashSet();
    }

    private const int BatchSize = 2000;

    private sealed record RecordOutcome(int Index, string Outcome, string? Code);

    private sealed record BatchResult(int Recorded, int Refused, List<RecordOutcome> Outcomes);

    private async Task PostBatch(string path, object[] records, CancellationToken cancellation)
    {
        var response = await PostWithinRate(path, new { records }, cancellation);
        var text = await response.Content.ReadAsStringAsync(cancellation);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {text}");
        var result = JsonSerializer.Deserialize<BatchResult>(text, JsonSerializerOptions.Web)!;
        if (result.Refused > 0)
        {
            var first = result.Outcomes.First(o => o.Outcome == "refused");
            throw new InvalidOperationException($"{result.Refused} of {records.Length} services were refused, the first (#{first.Index}) as {first.Code}.");
        }
    }

    private static object Service(Guid volunteerId, Guid[] elderIds, string serviceType, DateTimeOffset startedAt, int minutes) =>
        new { volunteerId, elderIds, serviceType, startedAt, minutes, recordedBy = Recorder };

    private async Task Post(string path, object body, CancellationToken cancellation)
    {
        var response = await PostWithinRate(path, body, cancellation);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellation)}");
        }
    }

    /// <summary>
    /// Posts, waiting as the service asks when the key is over its rate: a 429 is answered before anything is
    /// read or written, so sending the same request again is safe.
    /// </summary>
    private async Task<HttpResponseMessage> PostWithinRate(string path, object body, CancellationToken cancellation)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await http.PostAsJsonAsync(path, body, cancellation);
            if (response.StatusCode != HttpStatusCode.TooManyRequests || attempt == 60) return response;
            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), cancellation);
        }
    }

    private async Task<Guid> PostForId(string path, object body, CancellationToken cancellation)
    {
        var response = await PostWithinRate(path, body, cancellation);
        var text = await response.Content.ReadAsStringAsync(cancellation);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
    }
}
