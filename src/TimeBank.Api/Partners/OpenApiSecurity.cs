using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace TimeBank.Api.Partners;

/// <summary>
/// Describes the partner key in the OpenAPI document, so that generated clients and the docs UI send it.
/// </summary>
public static class OpenApiSecurity
{
    public const string SchemeName = "PartnerKey";

    public static void DescribePartnerKey(this OpenApiOptions options)
    {
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
