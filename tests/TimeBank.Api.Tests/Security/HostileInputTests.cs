using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TimeBank.Api.Infrastructure.Http;

namespace TimeBank.Api.Tests.Security;

/// <summary>
/// Every write endpoint gets its own example body with each field in turn replaced by something hostile, and
/// bodies that are not JSON at all: each answer is a problem (4xx) or, where the input happens to be valid, a
/// success; never a 5xx.
/// </summary>
public class HostileInputTests
{
    private static readonly JsonNode?[] HostileValues =
    [
        null, "", "   ", "sixty", 2147483648L, -2147483649L, 9223372036854775807L, -1, 0, 1.5, JsonValue.Create(1e300),
        true, new JsonArray(), new JsonObject(), "0001-01-01", "9999-12-31", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00",
        "'; drop table timebank.mt_events; --", "<script>alert(1)</script>", "explode", new string('长', 5000), "\u0000", "00000000-0000-0000-0000-000000000000",
    ];

    private static readonly byte[][] NotJson =
    [
        "{"u8.ToArray(), "not json"u8.ToArray(), "null"u8.ToArray(), "[]"u8.ToArray(), "123"u8.ToArray(), [0x7B, 0x22, 0x6E, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0x22, 0x7D],
        Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000)), Encoding.UTF8.GetBytes("{\"a\":" + new string('{', 100) + new string('}', 100) + "}"),
    ];

    [Test]
    public async Task no_hostile_body_gets_a_server_error()
    {
        var community = await Given.ACommunity();
        var json = TestHost.Factory.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var examples = typeof(TimeBankService).Assembly.GetTypes()
            .Where(t => t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IExampleRequest<>)))
            .ToDictionary(t => t, t => JsonSerializer.SerializeToNode(OpenApiDescriptions.ExampleOf(t), t, json)!.AsObject());
        var failures = new List<string>();
        var sent = 0;

        foreach (var (method, route, _) in ApiEndpoints.All().Where(e => e.HasBody))
        {
            var url = ApiEndpoints.UrlFor(route, community.Code);
            var bodyType = TestHost.Factory.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
                .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>().Single(e => e.RoutePattern.RawText == route && (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods.Contains(method) ?? false))
                .Metadata.GetMetadata<Wolverine.Http.HttpChain>()!.RequestType!;
            var bodies = NotJson.ToList();
            if (examples.TryGetValue(bodyType, out var example))
            {
                foreach (var field in example.Select(p => p.Key).ToList())
                {
                    foreach (var value in HostileValues)
                    {
                        var body = example.DeepClone().AsObject();
                        body[field] = value?.DeepClone();
                        bodies.Add(Encoding.UTF8.GetBytes(body.ToJsonString()));
                    }
                }

                var extra = example.DeepClone().AsObject();
                extra["unexpected"] = "field";
                bodies.Add(Encoding.UTF8.GetBytes(extra.ToJsonString()));
            }

            foreach (var body in bodies)
            {
                var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new("application/json");
                var response = await community.Http.SendAsync(request);
                sent++;
                var status = (int)response.StatusCode;
                var type = response.Content.Headers.ContentType?.MediaType;
                if (status >= 500 || (status >= 400 && type != "application/problem+json"))
                {
                    failures.Add($"{method} {route} {status} {type}: {Encoding.UTF8.GetString(body)[..Math.Min(200, body.Length)]} -> {(await response.Content.ReadAsStringAsync())[..Math.Min(300, (int)(response.Content.Headers.ContentLength ?? 300))]}");
                }
            }
        }

        // A hostile body that happens to be valid may have started a replay: let it finish, so that it does not
        // load the database under the tests that follow.
        await using (var session = TestHost.Factory.Store.QuerySession())
        {
            var until = DateTime.UtcNow.AddSeconds(120);
            while (await session.Query<TimeBank.Api.Audit.ReplayRun>().AnyAsync(r => r.Status == TimeBank.Api.Audit.ReplayRun.Waiting || r.Status == TimeBank.Api.Audit.ReplayRun.Running)
                && DateTime.UtcNow < until)
            {
                await Task.Delay(250);
            }
        }

        Assert.That(sent, Is.GreaterThan(1000));
        Assert.That(failures, Is.Empty);
    }

    private static readonly string[] HostileQueryValues =
    [
        "", "abc", "-1", "0", "2147483648", "99999999999999999999", "1e400", "2026-13-45", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59Z",
        "2026-10-01T00:00:00", "'; drop table timebank.mt_events; --", "<script>", "%00", "00000000-0000-0000-0000-000000000000", new string('x', 3000),
    ];

    [Test]
    public async Task no_hostile_query_value_gets_a_server_error()
    {
        var community = await Given.ACommunity();
        var failures = new List<string>();
        var sent = 0;
        var simple = new[] { typeof(string), typeof(int?), typeof(long?), typeof(Guid?), typeof(bool?), typeof(int), typeof(long) };
        foreach (var endpoint in TestHost.Factory.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
                     .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
                     .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal)
                         && (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods.Contains("GET") ?? false)))
        {
            var route = endpoint.RoutePattern.RawText!;
            var chain = endpoint.Metadata.GetMetadata<Wolverine.Http.HttpChain>()!;
            var query = chain.Method.Method.GetParameters()
                .Where(p => simple.Contains(p.ParameterType) && !route.Contains($"{{{p.Name}}}", StringComparison.Ordinal))
                .Select(p => p.Name!)
                .ToList();
            foreach (var name in query)
            {
                foreach (var value in HostileQueryValues)
                {
                    var url = $"{ApiEndpoints.UrlFor(route, community.Code)}?{name}={Uri.EscapeDataString(value)}";
                    var response = await community.Http.GetAsync(url);
                    sent++;
                    var status = (int)response.StatusCode;
                    if (status >= 500 || (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json"))
                    {
                        failures.Add($"GET {route}?{name}={value[..Math.Min(40, value.Length)]}: {status} {(await response.Content.ReadAsStringAsync())[..Math.Min(200, (int)(response.Content.Headers.ContentLength ?? 200))]}");
                    }
                }
            }
        }

        Assert.That(sent, Is.GreaterThan(200));
        Assert.That(failures, Is.Empty);
    }
}
