using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TimeBank.Client;

/// <summary>
/// A partner's typed access to one TimeBank service. Every write carries an <c>Idempotency-Key</c> of its own,
/// and is sent again under the same key when the service asks to wait (429, or 409 while the first is being
/// answered), so a retried write never lands twice. Refusals become <see cref="TimeBankProblem"/>.
/// </summary>
public sealed class TimeBankClient(HttpClient http)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    private const int MaxWaits = 30;

    /// <summary>A client for <paramref name="baseAddress"/> that sends <paramref name="apiKey"/> in <c>X-Api-Key</c>.</summary>
    public static TimeBankClient For(Uri baseAddress, string apiKey)
    {
        var http = new HttpClient { BaseAddress = baseAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return new TimeBankClient(http);
    }

    public Task<Community> RegisterCommunityAsync(string code, string name, string recordedBy, string timeZone = "Asia/Shanghai") =>
        PostAsync<Community>("/api/v1/communities", new { code, name, timeZone, recordedBy });

    public Task<Volunteer> EnrolVolunteerAsync(string community, string name, string? phone, string team, DateOnly? enrolledOn, string recordedBy) =>
        PostAsync<Volunteer>($"{Base(community)}/volunteers", new { name, phone, team, enrolledOn, recordedBy });

    public Task<Elder> RegisterElderAsync(string community, string name, string careCategory, string recordedBy) =>
        PostAsync<Elder>($"{Base(community)}/elders", new { name, careCategory, recordedBy });

    public Task<Pairing> PairAsync(string community, Guid volunteerId, Guid elderId, string basis, DateOnly? startedOn, string recordedBy) =>
        PostAsync<Pairing>($"{Base(community)}/pairings", new { volunteerId, elderId, basis, startedOn, recordedBy });

    public Task<Service> RecordServiceAsync(string community, Guid volunteerId, Guid elderId, string serviceType, DateTimeOffset startedAt, int minutes, string recordedBy) =>
        PostAsync<Service>($"{Base(community)}/services", new { volunteerId, elderIds = new[] { elderId }, serviceType, startedAt, minutes, recordedBy });

    /// <summary>The elder confirms the service was done (or a proxy for them, naming the elder).</summary>
    public Task<Service> ConfirmServiceAsync(string community, Guid serviceId, Guid elderId) =>
        PostAsync<Service>($"{Base(community)}/services/{serviceId}/confirmation", new { evaluatorRole = "elder", evaluatorId = elderId });

    public Task<QuarterClosing> CloseQuarterAsync(string community, string quarter, string recordedBy) =>
        PostAsync<QuarterClosing>($"{Base(community)}/quarters/{quarter}/closing", new { recordedBy });

    public Task<Station> OpenStationAsync(string community, string name, string recordedBy) =>
        PostAsync<Station>($"{Base(community)}/stations", new { name, recordedBy });

    public Task<Station> AddItemAsync(string community, Guid stationId, string name, string unit, int pricePoints, int stock, string recordedBy) =>
        PostAsync<Station>($"{Base(community)}/stations/{stationId}/items", new { name, unit, pricePoints, stock, recordedBy });

    public Task<Order> RedeemAsync(string community, Guid stationId, Guid volunteerId, IEnumerable<(Guid ItemId, int Quantity)> items, string recordedBy) =>
        PostAsync<Order>($"{Base(community)}/stations/{stationId}/orders",
            new { volunteerId, items = items.Select(i => new { itemId = i.ItemId, quantity = i.Quantity }), recordedBy });

    public Task<Order> PickUpAsync(string community, Guid stationId, string pickupCode, string recordedBy) =>
        PostAsync<Order>($"{Base(community)}/stations/{stationId}/pickups", new { pickupCode, recordedBy });

    public Task<TimeAccount> TimeAccountAsync(string community, Guid volunteerId) => GetAsync<TimeAccount>($"{Base(community)}/volunteers/{volunteerId}/time-account");

    public Task<Statement> StatementAsync(string community, Guid volunteerId, long? after = null) =>
        GetAsync<Statement>($"{Base(community)}/volunteers/{volunteerId}/statement{(after is null ? "" : $"?after={after}")}");

    public Task<Points> PointsAsync(string community, Guid volunteerId) => GetAsync<Points>($"{Base(community)}/volunteers/{volunteerId}/points");

    private static string Base(string community) => $"/api/v1/communities/{Uri.EscapeDataString(community)}";

    private async Task<T> GetAsync<T>(string path) => await ReadAsync<T>(await http.GetAsync(path));

    private async Task<T> PostAsync<T>(string path, object body)
    {
        var key = Guid.NewGuid().ToString();
        for (var wait = 0; ; wait++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: Json) };
            request.Headers.Add("Idempotency-Key", key);
            var response = await http.SendAsync(request);
            var asksToWait = response.StatusCode == HttpStatusCode.TooManyRequests
                || (response.StatusCode == HttpStatusCode.Conflict && response.Headers.RetryAfter is not null);
            if (!asksToWait || wait == MaxWaits) return await ReadAsync<T>(response);
            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        if (response.IsSuccessStatusCode) return (await response.Content.ReadFromJsonAsync<T>(Json))!;
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Json);
        var errors = problem.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object
            ? e.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(v => v.GetString() ?? "").ToArray())
            : [];
        throw new TimeBankProblem((int)response.StatusCode, problem.TryGetProperty("code", out var c) ? c.GetString() ?? "" : "",
            problem.TryGetProperty("detail", out var d) ? d.GetString() ?? "" : "", errors);
    }
}
