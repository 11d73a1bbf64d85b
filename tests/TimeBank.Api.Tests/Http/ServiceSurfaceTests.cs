using System.Text.Json.Nodes;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using TimeBank.Api.Infrastructure.Http;

namespace TimeBank.Api.Tests.Http;

/// <summary>Checks over every endpoint the service maps, so that a new endpoint cannot slip past them.</summary>
public class ServiceSurfaceTests
{
    [Test]
    public void the_service_maps_the_endpoints_of_the_ledger() =>
        Assert.That(ApiEndpoints.All().Select(e => $"{e.Method} {e.Route}"), Is.SupersetOf(new[]
        {
            "POST /api/v1/communities",
            "GET /api/v1/communities/{community}",
            "POST /api/v1/communities/{community}/volunteers",
            "GET /api/v1/communities/{community}/volunteers/{volunteerId}",
            "GET /api/v1/communities/{community}/volunteers/{volunteerId}/time-account",
            "POST /api/v1/communities/{community}/elders",
            "GET /api/v1/communities/{community}/elders/{elderId}",
            "POST /api/v1/communities/{community}/services",
        }));

    [Test]
    public async Task every_endpoint_that_takes_a_body_refuses_an_empty_one_with_a_400_problem_naming_fields()
    {
        var community = await Given.ACommunity();
        var withBody = ApiEndpoints.All().Where(e => e.HasBody).ToList();
        Assert.That(withBody, Is.Not.Empty);

        foreach (var (method, route, _) in withBody)
        {
            var url = route.Replace("{community}", community.Code, StringComparison.Ordinal);
            var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = JsonContent.Create(new { }) };

            var response = await community.Http.SendAsync(request);

            var problem = await response.ReadProblem(HttpStatusCode.BadRequest);
            Assert.That(problem.ErrorFields(), Is.Not.Empty, $"{method} {route} names no field");
        }

        Assert.That(await community.EventCount(), Is.EqualTo(1), "only the community's own registration");
    }

    [Test]
    public async Task the_openapi_document_describes_every_mapped_endpoint()
    {
        var http = TestHost.Factory.CreateClient();
        var document = JsonNode.Parse(await http.GetStringAsync("/openapi/v1.json"))!;
        var paths = document["paths"]!.AsObject();

        foreach (var (method, route, _) in ApiEndpoints.All())
        {
            Assert.That(paths[route]?[method.ToLowerInvariant()], Is.Not.Null, $"{method} {route} is missing from the OpenAPI document");
        }

        var scheme = document["components"]!["securitySchemes"]!["PartnerKey"]!;
        Assert.That((scheme["type"]!.GetValue<string>(), scheme["in"]!.GetValue<string>(), scheme["name"]!.GetValue<string>()), Is.EqualTo(("apiKey", "header", "X-Api-Key")));
        Assert.That(document["security"]![0]!["PartnerKey"], Is.Not.Null);

        // Every endpoint lists the refusals it may answer: a write to a community all of them, and 412 where it
        // honours If-Match.
        var write = paths["/api/v1/communities/{community}/services"]!["post"]!["responses"]!.AsObject().Select(r => r.Key);
        Assert.That(write, Is.SupersetOf(new[] { "201", "200", "400", "401", "403", "404", "409", "422", "429", "503" }));
        Assert.That(write, Does.Not.Contain("412"), "a deposit does not read If-Match");
        var conditional = paths["/api/v1/communities/{community}/volunteers/{volunteerId}/pause"]!["post"]!;
        Assert.That(conditional["responses"]!.AsObject().Select(r => r.Key), Does.Contain("412"));
        Assert.That(conditional["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()), Does.Contain("If-Match").And.Contain("Idempotency-Key"));
        foreach (var (method, route, _) in ApiEndpoints.All())
        {
            var responses = paths[route]![method.ToLowerInvariant()]!["responses"]!.AsObject().Select(r => r.Key);
            Assert.That(responses, Is.SupersetOf(new[] { "401", "403", "429" }), $"{method} {route}");
        }
    }

    [Test]
    public async Task every_request_body_in_the_openapi_document_has_an_example_its_own_validation_accepts()
    {
        var document = JsonNode.Parse(await TestHost.Factory.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        var paths = document["paths"]!.AsObject();

        foreach (var (method, route, hasBody) in ApiEndpoints.All().Where(e => e.HasBody))
        {
            var body = paths[route]![method.ToLowerInvariant()]!["requestBody"]!["content"]!["application/json"]!;
            Assert.That(body["example"], Is.Not.Null, $"{method} {route} has no example body");
        }

        var requests = typeof(TimeBankService).Assembly.GetTypes()
            .Where(t => t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IExampleRequest<>)))
            .ToList();
        Assert.That(requests, Has.Count.GreaterThanOrEqualTo(39));
        foreach (var request in requests)
        {
            var validator = (IValidator)TestHost.Factory.Services.GetRequiredService(typeof(IValidator<>).MakeGenericType(request));
            var result = await validator.ValidateAsync(new ValidationContext<object>(OpenApiDescriptions.ExampleOf(request)!));
            Assert.That(result.Errors.Select(e => e.ErrorMessage), Is.Empty, $"the example of {request.Name}");
        }

        // Refusals point at the one problem schema.
        var problem = paths["/api/v1/communities/{community}/services"]!["post"]!["responses"]!["422"]!["content"]!["application/problem+json"]!["schema"]!;
        Assert.That(problem["$ref"]!.GetValue<string>(), Is.EqualTo("#/components/schemas/Problem"));
        Assert.That(document["components"]!["schemas"]!["Problem"]!["required"]!.AsArray().Select(n => n!.GetValue<string>()), Does.Contain("code"));
    }

    [Test]
    public async Task the_api_docs_are_served()
    {
        var http = TestHost.Factory.CreateClient();
        var docs = await http.GetAsync("/scalar/v1");
        Assert.That(docs.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await docs.Content.ReadAsStringAsync(), Does.Contain("openapi/v1.json"));
    }

    [Test]
    public async Task health_reports_the_database_healthy()
    {
        var http = TestHost.Factory.CreateClient();
        var health = await http.GetAsync("/health");

        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var body = JsonNode.Parse(await health.Content.ReadAsStringAsync())!;
        Assert.That(body["checks"]!["database"]!["status"]!.GetValue<string>(), Is.EqualTo("Healthy"));
    }
}
