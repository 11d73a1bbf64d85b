using System.Security.Cryptography;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using Marten;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.Infrastructure.Telemetry;
using TimeBank.Api.Partners;
using Wolverine.Http;
using Wolverine.Http.CodeGen;

namespace TimeBank.Api.Infrastructure.Idempotency;

/// <summary>
/// A POST sent with an <c>Idempotency-Key</c>, and the answer it got. Inserted, answer and all, in the same
/// transaction as what the request writes, so the request, its record and its answer commit together or not at
/// all. (A record without an answer was kept by an earlier version, which stored the answer after sending it.)
/// </summary>
public sealed record IdempotentRequest(
    string Id, string RequestHash, DateTimeOffset ReceivedAt, int? Status = null, string? ContentType = null, string? Location = null, string? Body = null);

/// <summary>
/// Makes every POST safe to retry. The same key and body again answer the first answer and write nothing more;
/// the same key with another body is refused (422). A request refused by validation (400) is not kept, so it may
/// be corrected and sent again under its key; nor is an answer that asks to retry later (Retry-After). Keys are
/// scoped to the partner key and the community, and kept for <see cref="ExpiredIdempotencyRecords.KeptFor"/>.
/// </summary>
public static class IdempotentRequests
{
    public const string Header = "Idempotency-Key";

    /// <summary>How long an answerless record (of an earlier version) counts as still being answered.</summary>
    public static readonly TimeSpan AnswerGrace = TimeSpan.FromSeconds(30);
    private static readonly object ClaimItem = new();

    /// <summary>A key this request holds and has not seen before: its record is inserted with the request's answer.</summary>
    private sealed record Claim(string Id, string RequestHash, DateTimeOffset ReceivedAt);

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
        // The first attempt claims the key without reading it, so a request with a new key costs no round trip:
        // its record goes in with what it writes, and the table's primary key refuses a second record. When it
        // does (a retry of an answered request, or the same request sent twice at once), nothing of this attempt is
        // written, and the request runs again (LostRaces): then it reads the record the first one kept.
        var earlier = LostRaces.IsRunAgain(context) ? await session.LoadAsync<IdempotentRequest>(id, context.RequestAborted) : null;
        if (earlier is null)
        {
            context.Items[ClaimItem] = new Claim(id, hash, clock.GetUtcNow());
            return WolverineContinue.Result();
        }

        if (earlier.RequestHash != hash)
        {
            return ProblemResponses.Problem(StatusCodes.Status422UnprocessableEntity, "idempotency-key-reused", "This key was used for another request.",
                "A request with this Idempotency-Key and a different method, path or body was already received; use a new key for a new request.");
        }

        if (earlier.Status is not { } status)
        {
            if (clock.GetUtcNow() - earlier.ReceivedAt < AnswerGrace)
            {
                context.Response.Headers.RetryAfter = "1";
                return ProblemResponses.Problem(StatusCodes.Status409Conflict, "idempotency-key-in-progress", "The first request with this key is being answered.",
                    "Retry in a second to get its answer.");
            }

            return ProblemResponses.Problem(StatusCodes.Status409Conflict, "idempotent-request-applied", "The first request with this key was applied.",
                "It was written, but its answer was not kept; read the resource to see the result.");
        }

        context.Response.Headers["Idempotent-Replayed"] = "true";
        TimeBankMetrics.IdempotentReplays.Add(1);
        if (earlier.Location is { } location) context.Response.Headers.Location = location;
        return Results.Text(earlier.Body ?? "", earlier.ContentType, System.Text.Encoding.UTF8, status);
    }

    /// <summary>
    /// Called by the generated code of every POST endpoint between the endpoint and the session's save: renders
    /// the endpoint's answer as it will be sent, and adds the key's record with it to what the request writes.
    /// An answer that asks to try again later (Retry-After) is not the request's answer: no record is kept, so
    /// the retry is decided afresh.
    /// </summary>
    public static async Task KeepAnswerAsync(HttpContext context, IDocumentSession session, IResult answer)
    {
        if (context.Items[ClaimItem] is not Claim claim) return;

        var rendered = new DefaultHttpContext { RequestServices = context.RequestServices, TraceIdentifier = context.TraceIdentifier };
        rendered.Request.Method = context.Request.Method;
        rendered.Request.Path = context.Request.Path;
        await using var body = new MemoryStream();
        rendered.Response.Body = body;
        await answer.ExecuteAsync(rendered);
        // An endpoint may set Retry-After on the response itself, beside its result.
        if (context.Response.Headers.RetryAfter.Count > 0 || rendered.Response.Headers.RetryAfter.Count > 0) return;

        session.Insert(new IdempotentRequest(
            claim.Id, claim.RequestHash, claim.ReceivedAt, rendered.Response.StatusCode, rendered.Response.ContentType,
            rendered.Response.Headers.Location.FirstOrDefault() ?? context.Response.Headers.Location.FirstOrDefault(), System.Text.Encoding.UTF8.GetString(body.ToArray())));
    }

    /// <summary>
    /// Erasure: every kept answer of the session's community whose body holds one of <paramref name="personalData"/>
    /// (as written, or as JSON escapes it) loses its answer, in the erasure's transaction. The record stays, so the key
    /// still names the request it was used for: a retry answers <c>409 idempotent-request-applied</c> (read the
    /// resource), and the request is not applied twice.
    /// </summary>
    public static void ForgetAnswersNaming(IDocumentSession session, IEnumerable<string?> personalData)
    {
        string[] terms = [.. personalData.Where(t => !string.IsNullOrEmpty(t)).SelectMany(t => new[] { t!, System.Text.Json.JsonEncodedText.Encode(t!).ToString() }).Distinct()];
        var table = session.DocumentStore.Options.Schema.For<IdempotentRequest>();
        session.QueueSqlCommand(
            $"update {table} set data = data - 'status' - 'contentType' - 'location' - 'body' where tenant_id = ? and exists (select 1 from unnest(?) t where strpos(data ->> 'body', t) > 0)",
            session.TenantId, terms);
    }

    private static string RecordId(HttpContext context, string key) => $"{Caller.Of(context)?.Key.Id:N}:{key}";

    /// <summary>Hashes the method, path and body; the body is buffered, so the endpoint reads it again after.</summary>
    private static async Task<string> RequestHashAsync(HttpContext context)
    {
        context.Request.EnableBuffering();
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

/// <summary>Puts the idempotency steps in every POST endpoint that writes: the check right after the access check, the keeping before the save.</summary>
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

            // Before the session is saved, so that the answer commits with what the request wrote.
            var keep = new MethodCall(typeof(IdempotentRequests), nameof(IdempotentRequests.KeepAnswerAsync)) { CommentText = "Keep the answer with the key, in the request's transaction" };
            keep.Arguments[2] = chain.Method.ReturnVariable
                ?? throw new InvalidOperationException($"The endpoint {chain.RoutePattern?.RawText} answers nothing to keep for a retry.");
            chain.Postprocessors.Insert(0, keep);
        }
    }
}
