using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TimeBank.Samples.SampleCommunity;

/// <summary>
/// Loads the sample plan through the REST API as a partner system would: registers the community, enrols
/// volunteers, registers elders, then records the six-ones rhythm of the last days (a greeting every day,
/// a home visit every week). Does nothing when the community already exists.
/// </summary>
public sealed class SampleCommunityLoader(HttpClient http, TextWriter output)
{
    private const string Recorder = "sample-loader";
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    public async Task<bool> LoadAsync(string code, int days, DateTimeOffset now, CancellationToken cancellation = default)
    {
        var existing = await http.GetAsync($"/api/v1/communities/{code}", cancellation);
        if (existing.StatusCode == HttpStatusCode.OK)
        {
            output.WriteLine($"The community '{code}' is already there; nothing loaded.");
            return false;
        }

        var plan = new SampleCommunityPlan();
        await Post("/api/v1/communities", new { code, name = "民乐社区", timeZone = "Asia/Shanghai", recordedBy = Recorder }, cancellation);
        var community = $"/api/v1/communities/{code}";

        var firstDay = DateOnly.FromDateTime(now.ToOffset(Shanghai).DateTime).AddDays(1 - days);
        var elderIds = new Guid[plan.Elders.Count];
        foreach (var elder in plan.Elders)
        {
            var body = new { name = elder.Name, careCategory = elder.CareCategory, address = elder.Address, recordedBy = Recorder };
            elderIds[elder.Number] = await PostForId($"{community}/elders", body, cancellation);
        }

        var servicesByVolunteer = new List<List<object>>();
        foreach (var volunteer in plan.Volunteers)
        {
            var body = new { name = volunteer.Name, phone = volunteer.Phone, team = volunteer.Team, enrolledOn = firstDay.AddDays(-30), recordedBy = Recorder };
            var volunteerId = await PostForId($"{community}/volunteers", body, cancellation);
            servicesByVolunteer.Add(RhythmOf(volunteer, volunteerId, elderIds, firstDay, days, now).ToList());
        }

        // A volunteer's services go one after another: each lands on their time account, whose version
        // guards it, so parallel writes to one volunteer would be refused as concurrent changes.
        await Parallel.ForEachAsync(servicesByVolunteer, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellation },
            async (services, token) =>
            {
                foreach (var service in services) await Post($"{community}/services", service, token);
            });

        var count = servicesByVolunteer.Sum(s => s.Count);
        output.WriteLine($"Loaded '{code}': {plan.Volunteers.Count} volunteers, {plan.Elders.Count} elders, {count} services over {days} days.");
        return true;
    }

    /// <summary>
    /// One volunteer's services: for each paired elder a short greeting call every morning and, once a
    /// week, an hour's visit in the afternoon. Calls to different elders are spaced so none overlap.
    /// </summary>
    private static IEnumerable<object> RhythmOf(SampleVolunteer volunteer, Guid volunteerId, Guid[] elderIds, DateOnly firstDay, int days, DateTimeOffset now)
    {
        for (var d = 0; d < days; d++)
        {
            var day = firstDay.AddDays(d);
            for (var i = 0; i < volunteer.ElderNumbers.Count; i++)
            {
                var elderId = elderIds[volunteer.ElderNumbers[i]];
                var greeting = new DateTimeOffset(day.ToDateTime(new TimeOnly(8, 0)), Shanghai).AddMinutes(20 * i);
                if (greeting <= now) yield return Service(volunteerId, elderId, "greeting-call", greeting, 10);

                var visitDay = (volunteer.ElderNumbers[i] % 7) == ((int)day.DayOfWeek);
                var visit = new DateTimeOffset(day.ToDateTime(new TimeOnly(14, 0)), Shanghai).AddMinutes(90 * i);
                if (visitDay && visit <= now) yield return Service(volunteerId, elderId, "home-visit", visit, 60);
            }
        }
    }

    private static object Service(Guid volunteerId, Guid elderId, string serviceType, DateTimeOffset startedAt, int minutes) =>
        new { volunteerId, elderIds = new[] { elderId }, serviceType, startedAt, minutes, recordedBy = Recorder };

    private async Task Post(string path, object body, CancellationToken cancellation)
    {
        var response = await http.PostAsJsonAsync(path, body, cancellation);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellation)}");
        }
    }

    private async Task<Guid> PostForId(string path, object body, CancellationToken cancellation)
    {
        var response = await http.PostAsJsonAsync(path, body, cancellation);
        var text = await response.Content.ReadAsStringAsync(cancellation);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
    }
}
