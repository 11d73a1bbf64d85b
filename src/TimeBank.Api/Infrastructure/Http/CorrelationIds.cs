using System.Diagnostics;
using Serilog.Context;

namespace TimeBank.Api.Infrastructure.Http;

/// <summary>
/// Every request has a correlation id: the caller's <c>X-Correlation-Id</c> when it is a sensible token, else
/// the request's own trace identifier. It is echoed on every answer (reads as well as writes), carried by the
/// request's log lines and trace, and stamped on the events a write appends.
/// </summary>
public static class CorrelationIds
{
    public const string Header = "X-Correlation-Id";
    private static readonly object Item = new();

    public static string Of(HttpContext context)
    {
        if (context.Items[Item] is string known) return known;
        var given = context.Request.Headers[Header].FirstOrDefault();
        var id = given is { Length: > 0 and <= 100 } && given.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':')
            ? given
            : context.TraceIdentifier;
        context.Items[Item] = id;
        return id;
    }

    /// <summary>Middleware, early in the pipeline: the header is set before anything can answer.</summary>
    public static async Task EchoAsync(HttpContext context, RequestDelegate next)
    {
        var id = Of(context);
        context.Response.Headers[Header] = id;
        Activity.Current?.SetTag("timebank.correlation_id", id);
        using (LogContext.PushProperty("CorrelationId", id))
        {
            await next(context);
        }
    }
}
