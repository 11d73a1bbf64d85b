using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace TimeBank.Api.Tests.Infrastructure;

public static class Json
{
    /// <summary>Reads the API's JSON as a partner would: camelCase, enums as kebab-case strings.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static async Task<T> ReadCreated<T>(this HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.Created)
        {
            Assert.Fail($"Expected 201 Created, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return (await response.Content.ReadFromJsonAsync<T>(Options))!;
    }

    /// <summary>The RFC 7807 body of a refused request, after checking its status and media type.</summary>
    public static async Task<JsonObject> ReadProblem(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), body);
        return JsonNode.Parse(body)!.AsObject();
    }

    public static IReadOnlyCollection<string> ErrorFields(this JsonObject problem) =>
        problem["errors"]?.AsObject().Select(e => e.Key).ToList() ?? [];
}
