extern alias JsonSchemaNet;

using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using JsonSchemaNet::Json.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using NUnit.Framework.Interfaces;

[assembly: TimeBank.Api.Tests.Infrastructure.ContractChecked]

namespace TimeBank.Api.Tests.Infrastructure;

/// <summary>
/// Holds the service to its OpenAPI document in every test: each request that reaches the service and the
/// answer it gets are checked against the document the service itself publishes, so the whole suite is a
/// conformance suite. An answer must have a status the operation describes, a media type described for that
/// status, a body valid by its schema, and the headers the document says are always there; a request the
/// service accepted (2xx) must be valid by the document too, so no optional field can be marked required.
/// A test that provokes a violation fails after it ends, naming each one.
/// </summary>
public sealed class ContractCheck
{
    private const int LargestBodyChecked = 1 << 20;

    // One options object for every evaluation: the checks run in parallel, and the library is only safe that way.
    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    private readonly ConcurrentQueue<string> _violations = new();
    private readonly Dictionary<string, JsonSchema> _schemas = [];
    private List<Operation> _operations = [];
    private BuildOptions _build = new();
    private int _schemaCount;

    private readonly Lock _loading = new();
    private volatile bool _loaded;

    /// <summary>Whether a document has been loaded; until then nothing is checked (the host is starting).</summary>
    public bool Loaded => _loaded;

    /// <summary>Loads the document once, whichever host asks first; hosts starting at the same time wait for it.</summary>
    public void Load(string openApiDocument)
    {
        lock (_loading)
        {
            if (!_loaded) LoadDocument(openApiDocument);
        }
    }

    private void LoadDocument(string openApiDocument)
    {
        // Component references point into the OpenAPI document; as a JSON Schema they live under $defs of one
        // registered base schema, which every schema checked refers to.
        var document = JsonNode.Parse(openApiDocument)!.AsObject();
        var definitions = document["components"]?["schemas"]?.DeepClone() ?? new JsonObject();
        var baseSchema = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = BaseId,
            ["$defs"] = definitions,
        };
        _build = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        JsonSchema.FromText(Rewrite(baseSchema.ToJsonString()), _build);

        _operations = [];
        _schemas.Clear();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                _operations.Add(new Operation(method.ToUpperInvariant(), path, PathPattern(path), path.Count(c => c == '{'), operation!.AsObject()));
                foreach (var schema in SchemasOf(operation!.AsObject())) Compile(schema);
            }
        }

        _loaded = true;
    }

    /// <summary>Every violation seen since the last call, and forgets them.</summary>
    public IReadOnlyList<string> Drain()
    {
        var found = new List<string>();
        while (_violations.TryDequeue(out var violation)) found.Add(violation);
        return found;
    }

    public async Task InspectAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path.Value ?? "";
        if (!Loaded || !path.StartsWith("/api/", StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        context.Request.EnableBuffering();
        var requestBody = await ReadAsync(context.Request.Body, context.Request.ContentLength);
        context.Request.Body.Position = 0;

        var sent = context.Response.Body;
        using var answer = new MemoryStream();
        context.Response.Body = answer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = sent;
            answer.Position = 0;
            await answer.CopyToAsync(sent);
        }

        var name = $"{context.Request.Method} {path}";
        foreach (var violation in Check(context, requestBody, answer.ToArray())) _violations.Enqueue($"{name} answered {context.Response.StatusCode}: {violation}");
    }

    private IEnumerable<string> Check(HttpContext context, string? requestBody, byte[] responseBody)
    {
        var status = context.Response.StatusCode;
        var operation = Find(context.Request.Method, context.Request.Path.Value!);
        if (operation is null)
        {
            // A path no operation has is answered 404/405 by routing; anything else is an undocumented endpoint.
            if (status is not (404 or 405)) yield return "no operation of the document has this method and path";
            yield break;
        }

        var responses = operation.Definition["responses"]?.AsObject();
        var response = responses?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] ?? responses?[$"{status / 100}XX"] ?? responses?["default"];
        if (response is null)
        {
            yield return $"status {status} is not described by {operation.Method} {operation.Path}";
            yield break;
        }

        foreach (var violation in CheckAnswer(response.AsObject(), context.Response, responseBody)) yield return violation;
        if (status is >= 200 and < 300)
        {
            foreach (var violation in CheckRequest(operation, context.Request, requestBody)) yield return $"the request was accepted but {violation}";
        }
    }

    private IEnumerable<string> CheckAnswer(JsonObject response, HttpResponse answer, byte[] body)
    {
        foreach (var (header, definition) in response["headers"]?.AsObject() ?? [])
        {
            if (definition?["required"]?.GetValue<bool>() == true && !answer.Headers.ContainsKey(header)) yield return $"header {header} is missing";
        }

        var content = response["content"]?.AsObject();
        if (body.Length == 0)
        {
            if (content is { Count: > 0 }) yield return "the body is empty, but the document describes one";
            yield break;
        }

        var mediaType = (answer.ContentType ?? "").Split(';')[0].Trim();
        if (content?[mediaType] is not { } media)
        {
            yield return $"media type '{mediaType}' is not described (described: {string.Join(", ", content?.Select(c => c.Key) ?? [])})";
            yield break;
        }

        if (!mediaType.EndsWith("json", StringComparison.Ordinal) || media["schema"] is not { } schema) yield break;
        foreach (var violation in Validate(schema, Encoding.UTF8.GetString(body), "the body")) yield return violation;
    }

    private IEnumerable<string> CheckRequest(Operation operation, HttpRequest request, string? body)
    {
        foreach (var parameter in operation.Definition["parameters"]?.AsArray() ?? [])
        {
            if (parameter?["required"]?.GetValue<bool>() != true) continue;
            var name = parameter["name"]!.GetValue<string>();
            var present = parameter["in"]!.GetValue<string>() switch
            {
                "header" => request.Headers.ContainsKey(name),
                "query" => request.Query.ContainsKey(name),
                _ => true,
            };
            if (!present) yield return $"the required {parameter["in"]} parameter {name} was not sent";
        }

        if (operation.Definition["requestBody"]?["content"]?["application/json"]?["schema"] is not { } schema || body is null) yield break;
        foreach (var violation in Validate(schema, body, "its body")) yield return violation;
    }

    private IEnumerable<string> Validate(JsonNode schema, string json, string what)
    {
        JsonDocument instance;
        try
        {
            instance = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return [$"{what} is not JSON"];
        }

        using (instance)
        {
            var compiled = _schemas[schema.ToJsonString()];
            var result = compiled.Evaluate(instance.RootElement, Evaluation);
            if (result.IsValid) return [];
            var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{what} at '{d.InstanceLocation}' ({d.EvaluationPath}): {e.Value}"))
                .Distinct().Take(5).ToList();
            return errors.Count > 0 ? errors : [$"{what} does not match its schema"];
        }
    }

    /// <summary>
    /// The schemas of an operation's request body and of each of its JSON answers: every schema a check can meet.
    /// </summary>
    private static IEnumerable<JsonNode> SchemasOf(JsonObject operation)
    {
        if (operation["requestBody"]?["content"]?["application/json"]?["schema"] is { } request) yield return request;
        foreach (var (_, response) in operation["responses"]?.AsObject() ?? [])
        {
            foreach (var (mediaType, media) in response?["content"]?.AsObject() ?? [])
            {
                if (mediaType.EndsWith("json", StringComparison.Ordinal) && media?["schema"] is { } schema) yield return schema;
            }
        }
    }

    // Compiled while the document loads, on one thread: building a schema writes into the shared registry,
    // which is not safe alongside the builds and evaluations of requests checked in parallel.
    private void Compile(JsonNode schema)
    {
        var text = schema.ToJsonString();
        if (_schemas.ContainsKey(text)) return;
        var wrapper = JsonNode.Parse(Rewrite(text))!.AsObject();
        wrapper["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        wrapper["$id"] = $"urn:timebank:contract:{++_schemaCount}";
        _schemas[text] = JsonSchema.FromText(wrapper.ToJsonString(), _build);
    }

    private Operation? Find(string method, string path) =>
        _operations.Where(o => o.Method == method && o.Pattern.IsMatch(path)).OrderBy(o => o.Parameters).FirstOrDefault();

    private static Regex PathPattern(string template) =>
        new("^" + Regex.Replace(Regex.Escape(template), @"\\\{[^}]+\}", "[^/]+") + "/?$", RegexOptions.CultureInvariant);

    private const string BaseId = "urn:timebank:openapi";

    private static string Rewrite(string json) => json.Replace("\"#/components/schemas/", $"\"{BaseId}#/$defs/", StringComparison.Ordinal);

    private static async Task<string?> ReadAsync(Stream body, long? length)
    {
        if (length is > LargestBodyChecked) return null;
        using var reader = new StreamReader(body, Encoding.UTF8, leaveOpen: true);
        var buffer = new char[LargestBodyChecked + 1];
        var read = await reader.ReadBlockAsync(buffer);
        return read > LargestBodyChecked || read == 0 ? null : new string(buffer, 0, read);
    }

    private sealed record Operation(string Method, string Path, Regex Pattern, int Parameters, JsonObject Definition);
}

/// <summary>Puts the contract check in front of everything else the service does with a request.</summary>
public sealed class ContractCheckStartup(ContractCheck check) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextStep) => check.InspectAsync(context, nextStep));
        next(app);
    };
}

/// <summary>Fails a test after it ends when the service answered it something its document does not describe.</summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class ContractCheckedAttribute : Attribute, ITestAction
{
    public ActionTargets Targets => ActionTargets.Test;

    public void BeforeTest(ITest test) => TestHost.Contract.Drain();

    public void AfterTest(ITest test)
    {
        var violations = TestHost.Contract.Drain();
        if (violations.Count > 0)
        {
            Assert.Fail($"The service answered what its OpenAPI document does not describe:\n{string.Join("\n", violations)}");
        }
    }
}
