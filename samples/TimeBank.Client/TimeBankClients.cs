using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using TimeBank.Client.Generated;
using TimeBank.Client.Generated.Models;

namespace TimeBank.Client;

/// <summary>The generated <see cref="TimeBankApiClient"/>, set up as every partner should use it.</summary>
public static class TimeBankClients
{
    public const string KeyHeader = "X-Api-Key";

    /// <summary>A client for <paramref name="baseAddress"/> that sends <paramref name="apiKey"/> in <c>X-Api-Key</c>.</summary>
    public static TimeBankApiClient For(Uri baseAddress, string apiKey)
    {
        var http = KiotaClientFactory.Create(Handlers().ToList());
        http.BaseAddress = baseAddress;
        http.DefaultRequestHeaders.Add(KeyHeader, apiKey);
        return Over(http);
    }

    /// <summary>A client over an <see cref="HttpClient"/> whose handlers include <see cref="Handlers"/> (and that sends a key).</summary>
    public static TimeBankApiClient Over(HttpClient http)
    {
        var adapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http)
        {
            BaseUrl = http.BaseAddress?.AbsoluteUri.TrimEnd('/'),
        };
        return new TimeBankApiClient(new EveryRefusalAProblem(adapter));
    }

    /// <summary>
    /// Kiota's own handlers, with <see cref="IdempotentWrites"/> in place of its retry handler: that one resends
    /// a write without a key of its own, and does not know the service's 409 that asks to wait.
    /// </summary>
    public static DelegatingHandler[] Handlers() =>
        [new IdempotentWrites(), .. KiotaClientFactory.CreateDefaultHandlers().Where(h => h is not RetryHandler)];

    /// <summary>The fields a refusal names, by the camelCase name the client sent, each with its messages.</summary>
    public static IReadOnlyDictionary<string, string[]> Fields(this Problem problem) =>
        problem.Errors is null
            ? new Dictionary<string, string[]>()
            : Answers.Of(problem.Errors).EnumerateObject().ToDictionary(
                field => field.Name,
                field => field.Value.EnumerateArray().Select(message => message.GetString() ?? "").ToArray());
}
