namespace TimeBank.Domain.Shared;

/// <summary>What kind of refusal a rule gives; the service maps each kind to one HTTP status.</summary>
public enum RejectionKind
{
    /// <summary>The request is well formed but breaks a rule of the ledger.</summary>
    RuleBroken,

    /// <summary>Something the request names does not exist in this community.</summary>
    NotFound,

    /// <summary>The request clashes with what is already recorded.</summary>
    Conflict,
}

/// <summary>
/// A rule's refusal: a stable machine-readable code, the request field it is about (camelCase, as the
/// client sent it; empty when it is about the whole request) and a sentence a person can act on.
/// </summary>
public sealed record Rejection(RejectionKind Kind, string Code, string Field, string Message)
{
    public static Rejection RuleBroken(string code, string field, string message) => new(RejectionKind.RuleBroken, code, field, message);

    public static Rejection NotFound(string code, string field, string message) => new(RejectionKind.NotFound, code, field, message);

    public static Rejection Conflict(string code, string field, string message) => new(RejectionKind.Conflict, code, field, message);
}
