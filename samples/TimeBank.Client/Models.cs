namespace TimeBank.Client;

// The shapes of the API's requests and answers, as a partner sees them (JSON in camelCase, enums in kebab-case).

public sealed record Community(string Code, string Name, string TimeZone, string? County);

public sealed record Volunteer(Guid Id, string? Name, string Team, DateOnly EnrolledOn, string Status);

public sealed record Elder(Guid Id, string? Name, string CareCategory);

public sealed record Pairing(Guid PairingId, Guid VolunteerId, Guid ElderId, DateOnly StartedOn);

public sealed record Service(Guid ServiceId, Guid VolunteerId, IReadOnlyList<Guid> ElderIds, string ServiceType, DateTimeOffset StartedAt, int Minutes, int MinutesBanked, string Status);

public sealed record TimeAccount(Guid VolunteerId, int Deposited, int Reversed, int Spent, int Held, int Balance, int Available);

public sealed record StatementLine(long Version, DateTimeOffset At, string Kind, int BalanceChange, int BalanceAfter);

public sealed record Statement(Guid AccountId, IReadOnlyList<StatementLine> Lines, long? NextAfter);

public sealed record QuarterClosing(string Quarter, int VolunteersAwarded, int PointsAwarded, bool AlreadyClosed);

public sealed record Award(string Quarter, int Points);

public sealed record Points(Guid VolunteerId, int Balance, int Awarded, IReadOnlyList<Award> Awards);

public sealed record StoreItem(Guid ItemId, string Name, string Unit, int PricePoints, int Stock, bool Withdrawn);

public sealed record Station(Guid StationId, string Name, int PickupDays, IReadOnlyList<StoreItem> Items);

public sealed record OrderLine(Guid ItemId, int Quantity, int UnitPoints);

public sealed record Order(Guid Id, Guid StationId, Guid VolunteerId, IReadOnlyList<OrderLine> Lines, int TotalPoints, string ReceiptNumber, string PickupCode, string Status);

/// <summary>An RFC 7807 refusal from the service: its status, stable code and the fields it names.</summary>
public sealed class TimeBankProblem(int status, string code, string detail, IReadOnlyDictionary<string, string[]> errors)
    : Exception($"{status} {code}: {detail}")
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}
