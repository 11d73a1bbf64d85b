using System.Text;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Harness;

namespace TimeBank.Api.Tests.Security;

/// <summary>
/// Every write endpoint gets its own example body with each field in turn replaced by something hostile, and
/// bodies that are not JSON at all (the harness's <see cref="HostileCorpus"/>, which the chaos run sends too):
/// each answer is a problem (4xx) or, where the input happens to be valid, a success; never a 5xx.
/// </summary>
public class HostileInputTests
{
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
            var bodies = HostileCorpus.BodiesFrom(examples.GetValueOrDefault(bodyType)).ToList();

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
                foreach (var value in HostileCorpus.QueryValues)
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

    [TestCase("volunteers/not-a-guid")]
    [TestCase("volunteers/..%2F..%2Fetc%2Fpasswd/statement")]
    [TestCase("no-such-thing")]
    public async Task a_path_no_route_matches_is_a_404_problem(string path)
    {
        var community = await Given.ACommunity();

        var response = await community.Http.GetAsync($"{community.Url()}/{path}");

        Assert.That((await response.ReadProblem(HttpStatusCode.NotFound))["code"]!.GetValue<string>(), Is.EqualTo("no-such-resource"));
    }
}
