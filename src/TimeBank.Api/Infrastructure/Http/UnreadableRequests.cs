using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace TimeBank.Api.Infrastructure.Http;

/// <summary>
/// Wolverine answers a body it cannot read as JSON, or a query value it cannot parse, with its own 400
/// problem. This gives those problems our stable types and codes and names the field: from the JSON path in
/// the parser's message (<c>$.elderIds[0]</c> becomes <c>elderIds[0]</c>), or the query parameter.
/// </summary>
public static partial class UnreadableRequests
{
    private const string MalformedJsonTitle = "Invalid JSON format";
    private const string UnparseableQueryTitle = "Invalid query string value";

    public static void Describe(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Title == UnparseableQueryTitle) DescribeQueryValue(problem);
        if (problem.Title != MalformedJsonTitle)
        {
            DescribeBareStatus(problem);
            return;
        }

        problem.Type = ProblemResponses.TypePrefix + "malformed-json";
        problem.Title = "The request body is not valid JSON for this endpoint.";
        problem.Extensions["code"] = "malformed-json";
        var detail = problem.Detail ?? "";
        var field = PathPattern().Match(detail) is { Success: true } path ? path.Groups["field"].Value : UnknownMember(detail);
        detail = WithoutTypeNames(detail);
        problem.Detail = detail;
        problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [detail] };
    }

    /// <summary>
    /// The parser names the .NET type it wanted ("could not be converted to TimeBank.Api.Services.RecordService"):
    /// that says nothing to a partner and something about the service. A time is named for what it needs.
    /// </summary>
    private static string WithoutTypeNames(string detail)
    {
        // The parser names the request's type, not the field's, so the message says what a time needs whatever the field.
        detail = ConvertedTo().Replace(detail,
            "is not of the kind this field takes (see its schema: an enum takes exactly one of its listed kebab-case values; a time needs its offset, e.g. 2026-11-22T09:00:00+08:00 or 2026-11-22T01:00:00Z: a time without one is not read in any zone).");
        return TypeName().Replace(detail, "the expected value");
    }

    private static void DescribeQueryValue(ProblemDetails problem)
    {
        var parameter = problem.Extensions.TryGetValue("parameter", out var name) ? name?.ToString() ?? "" : "";
        problem.Type = ProblemResponses.TypePrefix + "unparseable-query-value";
        problem.Title = "A query value is not of the expected kind.";
        problem.Extensions["code"] = "unparseable-query-value";
        problem.Extensions.Remove("parameter");
        problem.Extensions["errors"] = new Dictionary<string, string[]> { [parameter] = [problem.Detail ?? ""] };
    }

    /// <summary>
    /// A status answered before any endpoint ran, e.g. a 404 for a path no route matches (an id that is not a
    /// GUID): the status code pages give it a problem body, and this its type and code like every other.
    /// </summary>
    private static void DescribeBareStatus(ProblemDetails problem)
    {
        if (problem.Extensions.ContainsKey("code") || problem.Status is not { } status) return;
        var code = status switch
        {
            StatusCodes.Status404NotFound => "no-such-resource",
            StatusCodes.Status405MethodNotAllowed => "method-not-allowed",
            StatusCodes.Status415UnsupportedMediaType => "unsupported-media-type",
            // Kestrel refusing a body as it is read (chunked past the size limit, badly chunked, too slow): the codes
            // of the same refusals when Kestrel makes them before the service runs.
            _ => ServerRefusals.Describe(status).Code,
        };
        problem.Type = ProblemResponses.TypePrefix + code;
        problem.Extensions["code"] = code;
        if (status == StatusCodes.Status404NotFound) problem.Detail ??= "No resource answers at this path; check the ids in it.";
    }

    private static string UnknownMember(string detail) => PropertyPattern().Match(detail) is { Success: true } m ? m.Groups["field"].Value : "";

    [GeneratedRegex(@"could not be converted to (?<type>[^ ]+?)\.(?= Path:|$)")]
    private static partial Regex ConvertedTo();

    [GeneratedRegex(@"\b(TimeBank|System|Microsoft|Wolverine|Marten|JasperFx)(\.[\w`+\[\],]+)+")]
    private static partial Regex TypeName();

    [GeneratedRegex(@"Path: \$\.?(?<field>[^ |]*)")]
    private static partial Regex PathPattern();

    [GeneratedRegex(@"The JSON property '(?<field>[^']*)'")]
    private static partial Regex PropertyPattern();
}
