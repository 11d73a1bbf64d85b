namespace TimeBank.Api.Infrastructure.Http;

/// <summary>A page of a list: the items, and the cursor to pass as <c>after</c> for the next page (null at the end).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, long? NextAfter);

/// <summary>How lists are paged: <c>?after=</c> (a cursor from the previous page) and <c>?limit=</c>.</summary>
public static class Paging
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    /// <summary>A 400 for a limit or cursor out of range; null when they may be used.</summary>
    public static ProblemHttpResult? Refusal(long? after, int? limit) =>
        limit is < 1 or > MaxLimit || after < 0
            ? ProblemResponses.Validation(after < 0 ? "after" : "limit", $"Use a limit from 1 to {MaxLimit} and a non-negative cursor.")
            : null;
}
