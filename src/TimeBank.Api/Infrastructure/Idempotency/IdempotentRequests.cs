using System.Security.Cryptography;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using Marten;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.Partners;
using Wolverine.Http;
using Wolverine.Http.CodeGen;

namespace TimeBank.Api.Infrastructure.Idempotency;

/// <summary>
/// A POST sent with an <c>Idempotency-Key</c>, and the answer it got. Inserted in the same transaction as what
/// the request writes, so the request and its record commit together or not at all: of two requests with one
/// key, the second insert fails and writes nothing. The answer is added right after it is sent.
/// </summary>
public sealed record IdempotentRequest(
    string Id, string RequestHash, Guid Owner, DateTimeOffset ReceivedAt, int? Status = null, string? ContentType = null, string? Location = null, string? Body = null);

/// <summary>
/// Makes every POST safe to retry. The same key and body again answer the first answer and write nothing more;
/// the same key with another body is refused (422). A request refused by validation (400) is not kept, so it may
/// be corrected and sent again under its key. Keys are scoped to the partner key and the community, and kept
/// for <see cref="ExpiredIdempotencyRecords.KeptFor"/>.
/// </summary>
public static class IdempotentRequests
{
    public const string Header = "Idempotency-Key";

    /// <summary>How long a request's answer may take to be kept before it counts as lost.</summary>
    public static readonly TimeSpan AnswerGrace = TimeSpan.FromSeconds(30);
    private static readonly object OwnerItem = new();

    /// <summary>Called by the generated code of every POST endpoint, after the access check.</summary>
    public static async Task<IResult> BeginAsync(HttpContext context, IDocumentSession session, TimeProvider clock)
    {
        if (context.Request.Headers[Header].FirstOrDefault() is not { } key) return WolverineContinue.Result();
        if (key.Length is 0 or > 100 || key.Any(c => c < 0x21 || c > 0x7e))
        {
            return ProblemResponses.Validation(Header, "Use 1 to 100 visible ASCII characters, e.g. a UUID.");
        }

        var id = RecordId(context, key);
        var hash = await RequestHashAsync(context);
        await HoldKeyAsync(session, id, context.RequestAborted);
        var earlier = await session.LoadAsync<IdempotentRequest>(id, context.RequestAborted);
        if (earlier is null)
        {
            var owner = Guid.NewGuid();
            session.Insert(new IdempotentRequest(id, hash, owner, clock.GetUtcNow()));
            context.Items[OwnerItem] = owner;
            return WolverineContinue.Result();
        }

        if (earlier.RequestHash != hash)
        {
            return ProblemResponses.Problem(StatusCodes.Status422UnprocessableEntity, "idempotency-key-reused", "This key was used for another request.",
                "A request with this Idempotency-Key and a different method, path or body was already received; use a new key for a new request.");
        }

        if (earlier.Status is not { } status)
        {
            // Its answer is kept right after it is sent; a record long without one belongs to a request whose
            // answer was lost (the service stopped in between). What it wrote stands, once.
            if (clock.GetUtcNow() - earlier.ReceivedAt < AnswerGrace)
            {
                context.Response.Headers.RetryAfter = "1";
                return ProblemResponses.Problem(StatusCodes.Status409Conflict, "idempotency-key-in-progress", "The first request with this key is being answered.",
                    "Retry in a second to get its answer.");
            }

            return ProblemResponses.Problem(StatusCodes.Status409Conflict, "idempotent-request-applied", "The first request with this key was applied.",
                "It was written, but its answer was not kept (the service stopped while answering); read the resource to see the result.");
        }

        context.Response.Headers["Idempotent-Replayed"] = "true";
        if (earlier.Location is { } location) context.Response.Headers.Location = location;
        return Results.Text(earlier.Body ?? "", earlier.ContentType, System.Text.Encoding.UTF8, status);
    }

    /// <summary>
    /// Wraps the response of a POST sent with a key, and keeps what was answered once it is sent, if this
    /// request's record was the one committed (not for a refused duplicate, nor for a 5xx, which may be retried,
    /// nor for an answer with Retry-After, which frees the key).
    /// </summary>
    public static async Task KeepAnswerAsync(HttpContext context, Func<Task> next)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Headers.ContainsKey(Header))
        {
            await next();
            return;
        }

        context.Request.EnableBuffering();
        var original = context.Response.Body;
        await using var captured = new MemoryStream();
        context.Response.Body = captured;
        try
        {
            await next();
        }
        finally
        {
            context.Response.Body = original;
        }

        captured.Position = 0;
        await captured.CopyToAsync(original, context.RequestAborted);
        if (context.Items[OwnerItem] is not Guid owner || context.Response.StatusCode >= 500) return;

        var store = context.RequestServices.GetRequiredService<IDocumentStore>();
        await using var session = context.Request.RouteValues.TryGetValue("community", out var community) && community is string code
            ? store.LightweightSession(code)
            : store.LightweightSession();
        var id = RecordId(context, context.Request.Headers[Header].First()!);
        if (await session.LoadAsync<IdempotentRequest>(id) is not { } record || record.Owner != owner || record.Status is not null) return;

        // An answer that asks to try again later (Retry-After) is not the request's answer: the key is freed,
        // so that the retry is decided afresh.
        if (context.Response.Headers.RetryAfter.Count > 0)
        {
            session.Delete(record);
            await session.SaveChangesAsync();
            return;
        }

        session.Store(record with
        {
            Status = context.Response.StatusCode,
            ContentType = context.Response.ContentType,
            Location = context.Response.Headers.Location.FirstOrDefault(),
            Body = System.Text.Encoding.UTF8.GetString(captured.ToArray()),
        });
        await session.SaveChangesAsync();
    }

    /// <summary>
    /// Opens the request's transaction and takes a transaction-scoped advisory lock on the key: a second request
    /// with the same key waits here until the first has committed (or failed), and then sees its record.
    /// </summary>
    private static async Task HoldKeyAsync(IDocumentSession session, string id, CancellationToken cancellation)
    {
        await session.BeginTransactionAsync(cancellation);
        var lockKey = BitConverter.ToInt64(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{session.TenantId}/{id}")), 0);
        await using var command = new Npgsql.NpgsqlCommand("select pg_advisory_xact_lock($1)", session.Connection) { Parameters = { new() { Value = lockKey } } };
        await command.ExecuteNonQueryAsync(cancellation);
    }

    private static string RecordId(HttpContext context, string key) => $"{Caller.Of(context)?.Key.Id:N}:{key}";

    private static async Task<string> RequestHashAsync(HttpContext context)
    {
        context.Request.Body.Position = 0;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{context.Request.Method} {context.Request.Path}\n"));
        var buffer = new byte[8192];
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0) hash.AppendData(buffer, 0, read);
        context.Request.Body.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}

public static class IdempotencyConfiguration
{
    /// <summary>
    /// Records live in the request's community (the default tenant for requests outside one). Their time of
    /// receipt is a column of its own, indexed, for the sweep of expired records.
    /// </summary>
    public static void ConfigureIdempotency(this StoreOptions options) => options.Schema.For<IdempotentRequest>().Duplicate(r => r.ReceivedAt);

    public static IServiceCollection AddIdempotentRequests(this IServiceCollection services) =>
        services.AddSingleton<ExpiredIdempotencyRecords>().AddHostedService(provider => provider.GetRequiredService<ExpiredIdempotencyRecords>());
}

/// <summary>Puts the idempotency step in every POST endpoint that writes, right after the access check.</summary>
public sealed class IdempotencyPolicy : IHttpPolicy
{
    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains.Where(c => c.HttpMethods.Contains("POST")))
        {
            if (!chain.Method.Method.GetParameters().Any(p => p.ParameterType == typeof(IDocumentSession)))
            {
                throw new InvalidOperationException($"The endpoint {chain.RoutePattern?.RawText} is a POST without a document session: it cannot be made idempotent.");
            }

            var begin = new MethodCall(typeof(IdempotentRequests), nameof(IdempotentRequests.BeginAsync)) { CommentText = "Answer a retried request as the first time" };
            chain.Middleware.InsertRange(0, [begin, new MaybeEndWithResultFrame(begin.ReturnVariable!)]);
        }
    }
}
