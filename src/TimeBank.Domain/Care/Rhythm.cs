namespace TimeBank.Domain.Care;

/// <summary>
/// The six ones (六个一) every pairing promises its elder. The first four repeat on the calendar; festivals
/// and birthdays come round on their own dates, each with a window of days in which an activity counts.
/// </summary>
public enum Rhythm
{
    /// <summary>一天一问候: a greeting every day.</summary>
    DailyGreeting,

    /// <summary>一周一看望: a home visit every week.</summary>
    WeeklyVisit,

    /// <summary>一月一服务: a professional service every month.</summary>
    MonthlyService,

    /// <summary>一季一联盟: a collective activity every quarter.</summary>
    QuarterlyActivity,

    /// <summary>每节一活动: an activity at each traditional festival.</summary>
    FestivalActivity,

    /// <summary>生日一慰问: a visit on the elder's birthday.</summary>
    BirthdayVisit,
}

public static class Rhythms
{
    public static readonly IReadOnlyList<Rhythm> All = Enum.GetValues<Rhythm>();

    /// <summary>Rhythms that repeat on the calendar (day, week, month, quarter), so every day lies in one period.</summary>
    public static bool IsCalendarRhythm(this Rhythm rhythm) => rhythm <= Rhythm.QuarterlyActivity;
}
