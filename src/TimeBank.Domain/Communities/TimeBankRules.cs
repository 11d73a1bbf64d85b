namespace TimeBank.Domain.Communities;

/// <summary>
/// The rules a community sets for its time bank. Minutes over a cap are not banked (the service itself is
/// still recorded, with what it banked); service types listed as non-earning bank nothing (caring for one's
/// own spouse, say). What counts for points is in the scoring rules, which change by quarter.
/// </summary>
/// <param name="MaxBankedMinutes">The most a time account may hold; schemes abroad cap savings at 750 hours (45,000 minutes). Null: no cap.</param>
/// <param name="DailyBankedMinutesCap">The most one volunteer may bank on one community day. Null: no cap.</param>
/// <param name="HoldExpiryHours">How long minutes held for a requested time-savings service stay held before they are released.</param>
/// <param name="GiftsToFamilyAllowed">Whether a volunteer may give banked minutes to a family member's account.</param>
/// <param name="LateRecordGraceDays">
/// For how many days after a volunteer's departure (or move) was recorded a service they started before it may
/// still be recorded. 0: nothing is banked for them once they have left.
/// </param>
public sealed record TimeBankRules(
    int? MaxBankedMinutes,
    int? DailyBankedMinutesCap,
    IReadOnlyList<string> NonEarningServiceTypes,
    int HoldExpiryHours,
    bool GiftsToFamilyAllowed,
    int LateRecordGraceDays = 0)
{
    public const int MaxLateRecordGraceDays = 90;

    public static readonly TimeBankRules Default = new(null, null, [], 72, false, 0);

    /// <summary>
    /// How many of a service's minutes are banked: none for a non-earning type, else as many as fit under
    /// the day's cap and the account's cap.
    /// </summary>
    public int MinutesToBank(string serviceType, int minutes, int bankedThatDay, int balance)
    {
        if (NonEarningServiceTypes.Contains(serviceType)) return 0;
        var banked = minutes;
        if (DailyBankedMinutesCap is { } daily) banked = Math.Min(banked, Math.Max(0, daily - bankedThatDay));
        if (MaxBankedMinutes is { } max) banked = Math.Min(banked, Math.Max(0, max - balance));
        return banked;
    }
}
