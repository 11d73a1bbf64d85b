using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TimeBank.Api.Infrastructure.Telemetry;
using TimeBank.Domain.Shared;

namespace TimeBank.Api.Infrastructure.Http;

/// <summary>
/// The one place that turns a refusal into an RFC 7807 problem response. Every problem carries a stable
/// <c>type</c> (<c>urn:timebank:problem:&lt;code&gt;</c>), the same <c>code</c> as an extension, and the
/// failing fields under <c>errors</c>, keyed by the camelCase names the client sent.
/// </summary>
public static class ProblemResponses
{
    public const string TypePrefix = "urn:timebank:problem:";

    public static int StatusOf(RejectionKind kind) => kind switch
    {
        RejectionKind.NotFound => StatusCodes.Status404NotFound,
        RejectionKind.Conflict => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status422UnprocessableEntity,
    };

    public static ProblemHttpResult From(Rejection rejection) =>
        Problem(StatusOf(rejection.Kind), rejection.Code, TitleOf(rejection.Kind), rejection.Message, ErrorsOf(rejection));

    /// <summary>The field a rule's refusal is about, as problems report it (none when it is about the whole request).</summary>
    public static Dictionary<string, string[]> ErrorsOf(Rejection rejection) =>
        string.IsNullOrEmpty(rejection.Field) ? [] : new() { [rejection.Field] = [rejection.Message] };

    /// <summary>A 400 about one field.</summary>
    public static ProblemHttpResult Validation(string field, string message) => Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors) =>
        Problem(StatusCodes.Status400BadRequest, "validation", "The request is not valid.", "One or more fields are not valid; see errors.", errors);

    /// <summary>A quarter in the path that does not read as one (2026Q1), whichever module reads it.</summary>
    public static ProblemHttpResult QuarterNotValid() => Validation("quarter", "Write a quarter like 2026Q1.");

    public static ProblemHttpResult CommunityNotFound(string community) =>
        Problem(StatusCodes.Status404NotFound, "unknown-community", "Not found.", $"There is no community '{community}'.", new Dictionary<string, string[]>());

    public static ProblemHttpResult NotFound(string code, string detail) =>
        Problem(StatusCodes.Status404NotFound, code, "Not found.", detail, new Dictionary<string, string[]>());

    public static ProblemDetails Details(int status, string code, string title, string detail, IDictionary<string, string[]> errors)
    {
        var problem = new ValidationProblemDetails(errors)
        {
            Type = TypePrefix + code,
            Title = title,
            Status = status,
            Detail = detail,
        };
        problem.Extensions["code"] = code;
        TimeBankMetrics.Refused(code);
        return problem;
    }

    /// <summary>A problem about the request as a whole (no field to name).</summary>
    public static ProblemHttpResult Problem(int status, string code, string title, string detail) => Problem(status, code, title, detail, new Dictionary<string, string[]>());

    private static ProblemHttpResult Problem(int status, string code, string title, string detail, IDictionary<string, string[]> errors) =>
        TypedResults.Problem(Details(status, code, title, detail, errors));

    private static string TitleOf(RejectionKind kind) => kind switch
    {
        RejectionKind.NotFound => "Not found.",
        RejectionKind.Conflict => "Conflicts with what is recorded.",
        _ => "A rule of the ledger refuses this request.",
    };
}
