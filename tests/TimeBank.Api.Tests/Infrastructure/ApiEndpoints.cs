using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Wolverine.Http;

namespace TimeBank.Api.Tests.Infrastructure;

/// <summary>Every endpoint the service maps under /api/, read from the running host: checks over it cover new endpoints too.</summary>
public static class ApiEndpoints
{
    public static IReadOnlyList<(string Method, string Route, bool HasBody)> All() =>
        TestHost.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m =>
                (m, e.RoutePattern.RawText!, e.Metadata.GetMetadata<HttpChain>()?.HasRequestType ?? false)))
            .ToList();

    /// <summary>A URL for a route: the given community, a quarter, and a fresh id for every other parameter.</summary>
    public static string UrlFor(string route, string community) =>
        System.Text.RegularExpressions.Regex.Replace(route, "{([a-zA-Z]+)}", m => m.Groups[1].Value switch
        {
            "community" => community,
            "quarter" => "2026Q1",
            "county" => "no-such-county",
            _ => Guid.NewGuid().ToString(),
        });
}
