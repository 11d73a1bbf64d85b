using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using TimeBank.Api.Infrastructure.Idempotency;
using TimeBank.Api.Partners;

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
            // The framework's own problem shapes are replaced by ours everywhere.
            document.Components.Schemas.Remove("HttpValidationProblemDetails");
            document.Components.Schemas.Remove("ProblemDetails");
            // What the framework made of endpoints' IResult before their typed answers replaced it.
            document.Components.Schemas.Remove("IResult");
            return Task.CompletedTask;
        });

        options.AddOperationTransformer(async (operation, context, cancellation) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            var method = context.Description.HttpMethod ?? "GET";
            var writes = !HttpMethods.IsGet(method);
            var versioned = metadata.OfType<VersionedResourceAttribute>().Any();
            Name(operation, metadata, context);
            DescribeParameters(operation, writes, versioned);

            operation.Responses ??= new OpenApiResponses();
            var problem = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ProblemSchema, context.Document) };
            // Whatever the framework said a refusal looks like, it is our one Problem.
            foreach (var (status, response) in operation.Responses.ToList())
            {
                if (status.Length == 3 && status[0] is '4' or '5')
                    operation.Responses[status] = new OpenApiResponse { Description = response.Description, Content = new Dictionary<string, OpenApiMediaType> { [ProblemContentType] = problem } };
            }

            void Refusal(string status, string description) =>
                operation.Responses[status] = new OpenApiResponse { Description = description, Content = new Dictionary<string, OpenApiMediaType> { [ProblemContentType] = problem } };

            var path = context.Description.RelativePath ?? "";
            Refusal("400", "Problem `validation`, `malformed-json` or `unparseable-query-value`: the request's shape is wrong; `errors` names the fields.");
            Refusal("401", "Problem `missing-api-key` or `invalid-api-key`.");
            Refusal("403", "Problem `role-not-held` or `all-communities-key-required`.");
            Refusal("404", path.Contains("{community}", StringComparison.Ordinal)
                ? "Problem `unknown-community` (also for a community the key does not cover) or an unknown id of this community."
                : "Problem: something the path names is not there (`no-such-resource` for a path no route matches).");
            if (writes)
            {
                Refusal("409", "Problem: it clashes with what is recorded, or other writes to the same records won the race every time it was decided again (`concurrent-change`, with Retry-After); an `Idempotency-Key` still being answered (`idempotency-key-in-progress`, with Retry-After).");
                if (versioned) Refusal("412", "Problem `stale-version`: the `If-Match` version is no longer current; `ETag` names the current one.");
                Refusal("413", "Problem `body-too-large`.");
                Refusal("415", "Problem `unsupported-media-type`: send `application/json`.");
                Refusal("422", "Problem: a rule of the ledger refuses it, or the `Idempotency-Key` was used for another request (`idempotency-key-reused`).");
            }

            Refusal("414", "Problem `uri-too-long`: the path and query are longer than 8 KB.");
            Refusal("429", "Problem `rate-limited`, with Retry-After.");
            Refusal("500", "Problem `internal-error`: a fault of the service, never of the request; the `traceId` finds it in the logs.");
            Refusal("503", "Problem `database-unavailable`, with Retry-After.");

            if (metadata.OfType<ReportFormatsAttribute>().FirstOrDefault() is { } report)
            {
                Refusal("409", "Problem `quarter-not-closed-everywhere`: a county's report is made once every community of it has closed the quarter.");
                await DescribeReportFormatsAsync(operation, report.Report, context, cancellation);
            }
            DescribeAnswerHeaders(operation, writes, versioned);

            if (operation.RequestBody?.Content is { } content && ExampleOf(context) is { } example)
            {
                foreach (var media in content.Values) media.Example = example;
            }
        });
    }

    /// <summary>
    /// Names an operation for people and for generated clients: the endpoint's name in camelCase
    /// (<c>recordService</c>), a one-line summary made from it, and the endpoint's or its request's documentation
    /// as the description.
    /// </summary>
    private static void Name(OpenApiOperation operation, IList<object> metadata, OpenApiOperationTransformerContext context)
    {
        // The name each endpoint is given in its route attribute (Name = "RecordService").
        if (metadata.OfType<Wolverine.Http.WolverineHttpMethodAttribute>().FirstOrDefault()?.Name is not { Length: > 0 } name) return;
        var machineMade = operation.OperationId;
        operation.OperationId = char.ToLowerInvariant(name[0]) + name[1..];
        var written = operation.Summary is { Length: > 0 } summary && summary != machineMade ? summary : BodyDocumentation(context);
        operation.Summary = Sentence(name);
        operation.Description = written is null ? null : string.Join(' ', written.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary><c>GetTimeAccount</c> as "Get time account".</summary>
    private static string Sentence(string name)
    {
        var words = System.Text.RegularExpressions.Regex.Split(name, "(?<=[a-z0-9])(?=[A-Z])");
        return string.Join(' ', words.Select((w, i) => i == 0 ? w : w.ToLowerInvariant()));
    }

    private static string? BodyDocumentation(OpenApiOperationTransformerContext context)
    {
        var body = context.Description.ParameterDescriptions.FirstOrDefault(p => p.Source.Id == "Body")?.Type;
        if (body is null || context.Document?.Components?.Schemas is not { } schemas) return null;
        return schemas.TryGetValue(body.Name, out var schema) ? schema.Description : null;
    }

    private static void DescribeParameters(OpenApiOperation operation, bool writes, bool versioned)
    {
        operation.Parameters ??= [];
        foreach (var parameter in operation.Parameters.OfType<OpenApiParameter>())
        {
            // Path and query values the framework left untyped are text.
            if (parameter.Schema is OpenApiSchema { Type: null, OneOf: null or { Count: 0 } } untyped && untyped.Enum is null or { Count: 0 }) untyped.Type = JsonSchemaType.String;
            if (parameter.Schema is OpenApiSchema { Type: { } type } typed && type.HasFlag(JsonSchemaType.Integer))
            {
                typed.Type = type & ~JsonSchemaType.String;
                typed.Pattern = null;
            }
        }

        if (writes)
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = IdempotentRequests.Header,
                In = ParameterLocation.Header,
                Description = "Makes the POST safe to send again: the same key, path and body answer the first answer (`Idempotent-Replayed: true`) " +
                    "and write nothing more; 1 to 100 visible ASCII characters, e.g. a UUID. Honoured for 24 hours.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 100, Pattern = "^[!-~]{1,100}$" },
            });
        }

        if (versioned && writes)
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "If-Match",
                In = ParameterLocation.Header,
                Description = "The `ETag` you read (`\"7\"`): the change is made only if the resource is still at that version, else `412 stale-version`.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }

        operation.Parameters.Add(new OpenApiParameter
        {
            Name = CorrelationIds.Header,
            In = ParameterLocation.Header,
            Description = "Your id for this request (letters, digits, `-_.:`, at most 100), kept with every event it appends and echoed in the answer; " +
                "anything else is replaced by the request's trace id.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });
    }

    private static void DescribeAnswerHeaders(OpenApiOperation operation, bool writes, bool versioned)
    {
        foreach (var (status, response) in operation.Responses!)
        {
            if (response is not OpenApiResponse answer) continue;
            answer.Headers ??= new Dictionary<string, IOpenApiHeader>();
            answer.Headers[CorrelationIds.Header] = Header("The request's correlation id: the `X-Correlation-Id` sent, else its trace id.");
            if (status is "201" or "202") answer.Headers["Location"] = Header("Where the resource created (or the work started) is read.", required: true);
            if (status is "429" or "503") answer.Headers["Retry-After"] = Header("Seconds to wait before sending again.", required: true, JsonSchemaType.Integer);
            if (status is "409") answer.Headers["Retry-After"] = Header("Present when the request can simply be sent again after that many seconds.", required: false, JsonSchemaType.Integer);
            if (versioned && (status[0] == '2' || status == "412")) answer.Headers["ETag"] = Header("The version of the resource's stream, e.g. `\"7\"`, to send back as `If-Match`.");
            if (writes) answer.Headers["Idempotent-Replayed"] = Header("`true` when this is the kept answer of an earlier request with the same `Idempotency-Key`.");
        }
    }

    private static OpenApiHeader Header(string description, bool required = false, JsonSchemaType type = JsonSchemaType.String) =>
        new() { Description = description, Required = required, Schema = new OpenApiSchema { Type = type } };

    /// <summary>A report answers JSON by default and, with <c>format</c>, a printable page, one CSV table or a zip of them.</summary>
    private static async Task DescribeReportFormatsAsync(OpenApiOperation operation, Type report, OpenApiOperationTransformerContext context, CancellationToken cancellation)
    {
        var schema = await context.GetOrCreateSchemaAsync(report, null, cancellation);
        context.Document!.AddComponent(report.Name, schema);
        OpenApiSchemas.Remember(report.Name, report);
        operation.Responses!["200"] = new OpenApiResponse
        {
            Description = "The report: JSON (`format=json`, the default), a printable A4 page (`format=html`), one table (`format=csv&table=…`) or every table in a zip (`format=csv`).",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = new OpenApiSchemaReference(report.Name, context.Document) },
                ["text/html"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                ["text/csv"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                ["application/zip"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
            },
        };
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
        // Room for what a later version adds; clients should ignore what they do not know.
        AdditionalProperties = new OpenApiSchema(),
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = $"`{ProblemResponses.TypePrefix}<code>`" },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A short summary, the same for every problem of this kind." },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "The HTTP status." },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What happened to this request, for a person to read." },
            ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The stable code to branch on, e.g. `validation`, `stale-version`." },
            ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request's trace id (W3C), to find it in the service's logs." },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The path the request was sent to, when given." },
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

/// <summary>
/// An endpoint whose resource is kept on one stream (see <see cref="StreamVersions"/>): a read answers its
/// <c>ETag</c>; a change honours <c>If-Match</c> (412 when stale) and answers the new <c>ETag</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class VersionedResourceAttribute : Attribute;

/// <summary>An endpoint that answers <see cref="Report"/> in the format asked for: JSON, HTML, CSV or a zip of CSV files.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ReportFormatsAttribute(Type report) : Attribute
{
    public Type Report { get; } = report;
}
