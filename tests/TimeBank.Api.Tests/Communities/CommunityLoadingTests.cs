using System.Net.Http.Headers;
using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Domain.Communities;
using Wolverine.Http;

namespace TimeBank.Api.Tests.Communities;

/// <summary>The community a route names is read once, before the endpoint (CommunityLoadingPolicy).</summary>
public class CommunityLoadingTests
{
    [Test]
    public async Task every_endpoint_that_takes_the_community_answers_one_that_does_not_exist_404_with_a_valid_request_and_writes_nothing()
    {
        var partner = await Given.ACommunity();
        var json = TestHost.Factory.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var nowhere = $"nowhere-{Guid.NewGuid():N}"[..CommunityCode.MaxLength];
        var chains = TestHost.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => e.Metadata.GetMetadata<HttpChain>()).OfType<HttpChain>()
            .Where(c => c.Method.Method.GetParameters().Any(p => p.ParameterType == typeof(Community)))
            .ToList();
        // Reads and writes of every module: a list shorter than this means the policy stopped applying somewhere.
        Assert.That(chains, Has.Count.GreaterThanOrEqualTo(30));

        var wrongs = new List<string>();
        foreach (var chain in chains)
        {
            var method = new HttpMethod(chain.HttpMethods.Single());
            using var request = new HttpRequestMessage(method, ApiEndpoints.UrlFor(chain.RoutePattern!.RawText!, nowhere));
            if (chain.HasRequestType)
            {
                // The request's own example, which its validator accepts: what is refused is the community, not the body.
                var example = OpenApiDescriptions.ExampleOf(chain.RequestType!);
                request.Content = new StringContent(JsonSerializer.Serialize(example, chain.RequestType!, json), new MediaTypeHeaderValue("application/json"));
            }

            using var response = await partner.Http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var code = response.StatusCode == HttpStatusCode.NotFound ? JsonDocument.Parse(body).RootElement.GetProperty("code").GetString() : null;
            if (code != "unknown-community") wrongs.Add($"{method} {chain.RoutePattern.RawText}: {(int)response.StatusCode} {body}");
        }

        Assert.That(wrongs, Is.Empty);
        await using var session = TestHost.Factory.Store.QuerySession(nowhere);
        Assert.That(await session.Events.QueryAllRawEvents().CountAsync(), Is.Zero, "nothing was written under the unknown community");
    }
}
