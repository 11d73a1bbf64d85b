using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace TimeBank.Api.Infrastructure.Http;

/// <summary>
/// Wolverine answers a body it cannot read as JSON with its own 400 problem. This gives that problem our
/// stable type and code, and names the field from the JSON path in the parser's message
/// (<c>$.elderIds[0]</c> becomes <c>elderIds[0]</c>).
/// </summary>
public static partial class MalformedJson
{
    private const string WolverineTitle = "Invalid JSON format";

    public static void Describe(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Title != WolverineTitle) return;

        problem.Type = ProblemResponses.TypePrefix + "malformed-json";
        problem.Title = "The request body is not valid JSON for this endpoint.";
        problem.Extensions["code"] = "malformed-json";
        var detail = problem.Detail ?? "";
        var field = PathPattern().Match(detail) is { Success: true } path ? path.Groups["field"].Value : UnknownMember(detail);
        problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [detail] };
    }

    private static string UnknownMember(string detail) => PropertyPattern().Match(detail) is { Success: true } m ? m.Groups["field"].Value : "";

    [GeneratedRegex(@"Path: \$\.?(?<field>[^ |]*)")]
    private static partial Regex PathPattern();

    [GeneratedRegex(@"The JSON property '(?<field>[^']*)'")]
    private static partial Regex PropertyPattern();
}
