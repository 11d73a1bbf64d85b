using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace TimeBank.Api.Infrastructure.Http;

/// <summary>
/// What the OpenAPI document says beyond what the endpoints declare: the refusals each endpoint may answer,
/// all as RFC 7807 problems described by one <c>Problem</c> schema, and an example body for each request.
/// </summary>
public static class OpenApiDescriptions
{
    public const string ProblemSchema = "Problem";
    public const string ProblemContentType = "application/problem+json";

    public static void DescribeRequestsAndRefusals(this OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
            document.Components.Schemas[ProblemSchema] = DescribeProblem();
            return Task.CompletedTask;
        });

        options.AddOperationTransformer((operation, context, _) =>
        {
            operation.Responses ??= new OpenApiResponses();
            var problem = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ProblemSchema, context.Document) };
            void Refusal(string status, string description) =>
                operation.Responses.TryAdd(status, new OpenApiResponse { Description = description, Content = new Dictionary<string, OpenApiMediaType> { [ProblemContentType] = problem } });

            var path = context.Description.RelativePath ?? "";
            var writes = !string.Equals(context.Description.HttpMethod, "GET", StringComparison.OrdinalIgnoreCase);
            if (writes || context.Description.ParameterDescriptions.Any(p => p.Source.Id == "Query"))
            {
                Refusal("400", "Problem `validation`, `malformed-json` or `unparseable-query-value`: the request's shape is wrong; `errors` names the fields.");
            }

            Refusal("401", "Problem `missing-api-key` or `invalid-api-key`.");
            Refusal("403", "Problem `role-not-held` or `all-communities-key-required`.");
            if (path.Contains("{community}", StringComparison.Ordinal)) Refusal("404", "Problem `unknown-community` (also for a community the key does not cover) or an unknown id of this community.");
            if (writes)
            {
                Refusal("409", "Problem: it clashes with what is recorded, or another write won the race (`concurrent-change`); an `Idempotency-Key` still being answered (`idempotency-key-in-progress`, with Retry-After).");
                Refusal("412", "Problem `stale-version`: the `If-Match` version is no longer current.");
                Refusal("422", "Problem: a rule of the ledger refuses it, or the `Idempotency-Key` was used for another request (`idempotency-key-reused`).");
            }

            Refusal("429", "Problem `rate-limited`, with Retry-After.");
            Refusal("503", "Problem `database-unavailable`, with Retry-After.");

            if (operation.RequestBody?.Content is { } content && ExampleOf(context) is { } example)
            {
                foreach (var media in content.Values) media.Example = example;
            }

            return Task.CompletedTask;
        });
    }

    /// <summary>The example of the endpoint's request body, written as the service reads JSON; null when it has none.</summary>
    public static JsonNode? ExampleOf(OpenApiOperationTransformerContext context)
    {
        var body = context.Description.ParameterDescriptions.FirstOrDefault(p => p.Source.Id == "Body")?.Type;
        if (body is null || ExampleOf(body) is not { } example) return null;
        var json = context.ApplicationServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        return JsonSerializer.SerializeToNode(example, body, json);
    }

    /// <summary>The example a request type carries (see <see cref="IExampleRequest{TSelf}"/>); null when it carries none.</summary>
    public static object? ExampleOf(Type request) =>
        request.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IExampleRequest<>))
            ? request.GetProperty(nameof(IExampleRequest<>.Example), BindingFlags.Public | BindingFlags.Static)!.GetValue(null)
            : null;

    private static OpenApiSchema DescribeProblem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "An RFC 7807 problem. `code` is stable and machine-readable; `type` is the same code as a URN.",
        Required = new HashSet<string> { "type", "title", "status", "code" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = $"`{ProblemResponses.TypePrefix}<code>`" },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A short summary, the same for every problem of this kind." },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "The HTTP status." },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What happened to this request, for a person to read." },
            ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The stable code to branch on, e.g. `validation`, `stale-version`." },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "The failing fields, by the camelCase name the client sent (or the header's name), each with its messages.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        },
        Examples =
        [
            new JsonObject
            {
            ["type"] = ProblemResponses.TypePrefix + "validation",
            ["title"] = "The request is not valid.",
            ["status"] = 400,
            ["detail"] = "One or more fields are not valid; see errors.",
            ["code"] = "validation",
                ["errors"] = new JsonObject { ["minutes"] = new JsonArray("Minutes must be between 1 and 480.") },
            },
        ],
    };
}
