using JasperFx;
using JasperFx.Events;

using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace TimeBank.Api.Infrastructure.Http;

/// <summary>
/// Turns what escapes an endpoint into a problem response without internals: a write that lost its race more
/// often than <see cref="LostRaces"/> decides it again is a 409 with Retry-After, an unreachable database a 503
/// with Retry-After, anything else a 500 that says only that it was logged, with the trace id to quote.
/// </summary>
public sealed class UnhandledExceptions(ILogger<UnhandledExceptions> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, detail) = exception switch
        {
            _ when LostRaces.Is(exception) =>
                (StatusCodes.Status409Conflict, "concurrent-change", $"Other writes to the same records won {LostRaces.Attempts} times in a row; retry in a second."),
            _ when DatabaseOutOfReach(exception) =>
                (StatusCodes.Status503ServiceUnavailable, "database-unavailable", "The ledger's database cannot be reached; retry later."),
            _ => (StatusCodes.Status500InternalServerError, "internal-error", "Something went wrong on our side; it has been logged."),
        };

        if (status == StatusCodes.Status500InternalServerError)
        {
            logger.LogError(exception, "Unhandled exception on {Method} {Path}", context.Request.Method, context.Request.Path);
        }
        else
        {
            logger.LogWarning("Request {Method} {Path} answered {Status} {Code}: {ExceptionType}", context.Request.Method, context.Request.Path, status, code, exception.GetType().Name);
        }

        if (status == StatusCodes.Status503ServiceUnavailable) context.Response.Headers.RetryAfter = "5";
        if (code is "concurrent-change") context.Response.Headers.RetryAfter = "1";
        var problem = ProblemResponses.Details(status, code, status == 500 ? "Internal error." : "Try again.", detail, new Dictionary<string, string[]>());
        problem.Extensions["traceId"] = context.TraceIdentifier;
        await Results.Problem(problem).ExecuteAsync(context);
        return true;
    }

    /// <summary>
    /// Whether the database could not be reached or was going away, anywhere in the chain of causes (Marten
    /// wraps Npgsql's exceptions in its own): a broken or refused connection, a timeout, a server shutting down
    /// or starting up. An error the server reports about the request itself is not among them.
    /// </summary>
    public static bool DatabaseOutOfReach(Exception exception)
    {
        for (var cause = exception; cause is not null; cause = cause.InnerException)
        {
            switch (cause)
            {
                case PostgresException postgres:
                    // Class 08: connection exception; 57P01-03: shutting down, crashed, starting up; class 53: out of resources.
                    return postgres.SqlState.StartsWith("08", StringComparison.Ordinal) || postgres.SqlState is "57P01" or "57P02" or "57P03"
                        || postgres.SqlState.StartsWith("53", StringComparison.Ordinal);
                case NpgsqlException or TimeoutException or System.Net.Sockets.SocketException:
                    return true;
            }
        }

        return false;
    }
}
