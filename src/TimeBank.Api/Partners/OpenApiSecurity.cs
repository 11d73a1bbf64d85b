using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace TimeBank.Api.Partners;

/// <summary>
/// Describes the partner key in the OpenAPI document, so that generated clients and the docs UI send it, and
/// the refusals every endpoint may answer (all RFC 7807 problems with a stable code).
/// </summary>
public static class OpenApiSecurity
{
    public const string SchemeName = "PartnerKey";

    public static void DescribePartnerKey(this OpenApiOptions options)
    {
        options.AddOperationTransformer((operation, context, _) =>
        {
            operation.Responses ??= new OpenApiResponses();
            void Refusal(string status, string description) => operation.Responses.TryAdd(status, new OpenApiResponse { Description = description });

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
            return Task.CompletedTask;
        });

        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = PartnerAccess.KeyHeader,
                Description = "A partner key (tb_…), issued by an admin or with the service's `keys issue` command. Missing or wrong: 401; " +
                    "a role the key does not hold: 403; a community it does not cover: 404; over its rate: 429.",
            };
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, document)] = [] }];
            return Task.CompletedTask;
        });
    }
}
