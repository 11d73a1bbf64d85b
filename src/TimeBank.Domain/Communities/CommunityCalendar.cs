namespace TimeBank.Domain.Communities;

/// <summary>
/// Days, weeks and quarters as the community counts them: in its own time zone (Asia/Shanghai unless it
/// says otherwise), never in UTC or the server's zone. A greeting at 07:30 in Shanghai on 1 April belongs
/// to 1 April and to Q2, although it is still 31 March in UTC.
/// </summary>
public sealed class CommunityCalendar
{
    public const string DefaultTimeZoneId = "Asia/Shanghai";

    public CommunityCalendar(TimeZoneInfo timeZone) => TimeZone = timeZone;

    public TimeZoneInfo TimeZone { get; }

    public static CommunityCalendar For(string timeZoneId) => new(TimeZoneInfo.FindSystemTimeZoneById(timeZoneId));

    public static bool IsKnownTimeZone(string? timeZoneId) =>
        !string.IsNullOrWhiteSpace(timeZoneId) && TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out _);

    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, TimeZone);

    public DateOnly DayOf(DateTimeOffset instant) => DateOnly.FromDateTime(ToLocal(instant).DateTime);

    public Quarter QuarterOf(DateTimeOffset instant) => Quarter.Containing(DayOf(instant));

    public DateOnly Today(TimeProvider clock) => DayOf(clock.GetUtcNow());

    /// <summary>The month a day belongs to, written <c>2026-11</c>: how views group by month.</summary>
    public static string MonthOf(DateOnly day) => $"{day.Year:D4}-{day.Month:D2}";
}
