using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace TimeBank.Api.Infrastructure.Http;

/// <summary>What the document says of the API as a whole: its title and purpose, who answers for it, and each tag.</summary>
public static class OpenApiDocumentInfo
{
    /// <summary>Each tag the endpoints carry, with what a partner finds under it.</summary>
    public static readonly IReadOnlyDictionary<string, string> Tags = new Dictionary<string, string>
    {
        ["Communities"] = "Register a community and set its rules: caps on banked minutes, the service catalogue, holds and gifts.",
        ["Counties"] = "The one deliberate read across communities: a county's totals.",
        ["People"] = "Personal data kept beside the ledger: erasure, and proxies who act for an elder or a volunteer.",
        ["Volunteers"] = "The \"60\": enrolment, pauses, departures, transfers to another community.",
        ["Elders"] = "The \"90\": registration, care category, grid worker, care record.",
        ["Pairings"] = "A volunteer paired with an elder (结对), the pairing card.",
        ["Services"] = "Deposits: each service a volunteer did, banked in minutes; reversals, confirmations and disputes.",
        ["Time accounts"] = "Banked minutes: balances, statements, time savings (holds spent on services), gifts to family.",
        ["Care cadence"] = "The six ones (六个一): which rhythm each pairing keeps, what is overdue, festivals, birthdays, compliance.",
        ["Points"] = "Quarterly scoring (积分): scoring rules, closing a quarter, each volunteer's points and awards.",
        ["Store"] = "The station store (新时代文明实践站): items, stock, exchanges for points, pickups by code.",
        ["Reports"] = "Quarterly settlement reports (季度结算报告) of a community or a county, in JSON, HTML, CSV or a zip.",
        ["Audit"] = "For auditors: the tamper-evident chain, replays of every view from the log, the actor trail.",
        ["Keys"] = "Partner keys: issue, list, revoke.",
    };

    public static void DescribeTheApi(this OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "TimeBank",
                Version = "v1",
                Description =
                    "The ledger of a community time bank for elderly mutual aid (\"60 helps 90\", 60助90): volunteers' services banked in minutes, " +
                    "the six ones of care, quarterly points exchanged at the station store, settlement reports and an auditable log. " +
                    "JSON in camelCase, enum values in kebab-case, times in ISO 8601 with offset, durations in whole minutes. " +
                    "Every refusal is an RFC 7807 problem with a stable `code`; every POST takes an `Idempotency-Key`.",
                Contact = new OpenApiContact { Name = "TimeBank maintainers" },
                License = new OpenApiLicense { Name = "Proprietary: for partner community systems" },
            };
            document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }));
            // Clients join paths to the server's URL: one without a trailing slash keeps them from doubling it.
            foreach (var server in document.Servers ?? []) server.Url = server.Url?.TrimEnd('/');
            return Task.CompletedTask;
        });
    }
}
