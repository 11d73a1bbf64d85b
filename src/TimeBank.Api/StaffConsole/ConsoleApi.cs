using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.Infrastructure.Settings;
using TimeBank.Api.Partners;

namespace TimeBank.Api.StaffConsole;

/// <summary>A refusal the API answered (its RFC 7807 problem), or a failure to reach it.</summary>
public sealed record ApiProblem(int Status, string Code, string? Detail, IReadOnlyDictionary<string, string[]> Errors)
{
    public static ApiProblem Unreachable(string detail) => new(0, "api-unreachable", detail, new Dictionary<string, string[]>());
}

/// <summary>What a call answered: its value, or the problem.</summary>
public sealed record ApiAnswer<T>(T? Value, ApiProblem? Problem, int Status)
{
    public bool Succeeded => Problem is null;
}

/// <summary>
/// The console's only way to the ledger: the service's own REST API over HTTP, with the signed-in staff member's
/// partner key, so every page passes the same access check, idempotency and validation a partner's call does.
/// Writes carry the Idempotency-Key of the form submission they come from.
/// </summary>
public sealed class ConsoleApi(IHttpClientFactory clients, IServer server, IOptions<TimeBankSettings> settings, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    public const string ClientName = "timebank-console-api";

    // The API's own JSON (camelCase, kebab-case enums, instants with offset); answers may carry fields a page ignores.
    private readonly JsonSerializerOptions _json = new(json.Value.SerializerOptions) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip };

    public Task<ApiAnswer<T>> GetAsync<T>(string key, string path, CancellationToken cancellation) =>
        SendAsync<T>(key, HttpMethod.Get, path, null, null, cancellation);

    public Task<ApiAnswer<T>> PostAsync<T>(string key, string path, object body, string idempotencyKey, CancellationToken cancellation) =>
        SendAsync<T>(key, HttpMethod.Post, path, body, idempotencyKey, cancellation);

    /// <summary>Every page of a list (<c>?after=&amp;limit=</c>), up to <paramref name="most"/> items.</summary>
    public async Task<ApiAnswer<List<T>>> AllPagesAsync<T>(string key, string path, CancellationToken cancellation, int most = 5_000)
    {
        var items = new List<T>();
        long? after = null;
        do
        {
            var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            var page = await GetAsync<Page<T>>(key, $"{path}{separator}limit={Paging.MaxLimit}{(after is { } a ? $"&after={a}" : "")}", cancellation);
            if (page.Problem is { } problem) return new(null, problem, page.Status);
            items.AddRange(page.Value!.Items);
            after = page.Value.NextAfter;
        }
        while (after is not null && items.Count < most);
        return new(items, null, 200);
    }

    /// <summary>A document the API answers as it is (a report's HTML page or CSV files), with its media type.</summary>
    public async Task<ApiAnswer<(byte[] Body, string MediaType)>> GetFileAsync(string key, string path, CancellationToken cancellation)
    {
        using var request = Request(key, HttpMethod.Get, path, null, null);
        try
        {
            using var response = await Client().SendAsync(request, cancellation);
            if (!response.IsSuccessStatusCode) return new(default, await ProblemOf(response, cancellation), (int)response.StatusCode);
            return new((await response.Content.ReadAsByteArrayAsync(cancellation), response.Content.Headers.ContentType?.ToString() ?? "application/octet-stream"), null, 200);
        }
        catch (HttpRequestException e)
        {
            return new(default, ApiProblem.Unreachable(e.Message), 0);
        }
    }

    private async Task<ApiAnswer<T>> SendAsync<T>(string key, HttpMethod method, string path, object? body, string? idempotencyKey, CancellationToken cancellation)
    {
        using var request = Request(key, method, path, body, idempotencyKey);
        try
        {
            using var response = await Client().SendAsync(request, cancellation);
            if (!response.IsSuccessStatusCode) return new(default, await ProblemOf(response, cancellation), (int)response.StatusCode);
            return new(await response.Content.ReadFromJsonAsync<T>(_json, cancellation), null, (int)response.StatusCode);
        }
        catch (HttpRequestException e)
        {
            return new(default, ApiProblem.Unreachable(e.Message), 0);
        }
    }

    private HttpRequestMessage Request(string key, HttpMethod method, string path, object? body, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add(PartnerAccess.KeyHeader, key);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: _json);
        return request;
    }

    private async Task<ApiProblem> ProblemOf(HttpResponseMessage response, CancellationToken cancellation)
    {
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(_json, cancellation);
            var errors = problem.TryGetProperty("errors", out var found) && found.ValueKind == JsonValueKind.Object
                ? found.EnumerateObject().ToDictionary(e => e.Name, e => e.Value.ValueKind == JsonValueKind.Array ? e.Value.EnumerateArray().Select(m => m.ToString()).ToArray() : [e.Value.ToString()])
                : [];
            return new((int)response.StatusCode, problem.TryGetProperty("code", out var code) ? code.GetString() ?? "" : "",
                problem.TryGetProperty("detail", out var detail) ? detail.GetString() : null, errors);
        }
        catch (JsonException)
        {
            return new((int)response.StatusCode, "", response.ReasonPhrase, new Dictionary<string, string[]>());
        }
    }

    private HttpClient Client()
    {
        var client = clients.CreateClient(ClientName);
        client.BaseAddress = BaseAddress();
        return client;
    }

    /// <summary>The configured address of the API, or the first one this node listens on (a wildcard host read as loopback).</summary>
    private Uri BaseAddress()
    {
        if (settings.Value.Console.ApiAddress is { Length: > 0 } configured) return new Uri(configured);
        var listening = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The staff console cannot tell where this node listens: set Console:ApiAddress.");
        var address = new UriBuilder(listening.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        address.Host = address.Host switch
        {
            "0.0.0.0" => "127.0.0.1",
            "[::]" or "::" => "[::1]",
            var host => host,
        };
        return address.Uri;
    }
}
