using System.Globalization;

namespace TimeBank.Domain.Care;

/// <summary>
/// Dates of the Chinese lunisolar calendar (农历) on the solar calendar, through .NET's
/// <see cref="ChineseLunisolarCalendar"/>. That calendar numbers a year's months 1 to 13 when the year has
/// a leap month (闰月), the leap month coming right after the month whose number it repeats; people name
/// months 1 to 12 and say "leap". This class translates between the two.
/// </summary>
public static class LunarCalendar
{
    private static readonly ChineseLunisolarCalendar Calendar = new();

    /// <summary>Lunar years the calendar can convert (1901 to 2100).</summary>
    public static bool IsSupportedYear(int lunarYear) => lunarYear is >= 1901 and <= 2100;

    /// <summary>Solar dates the calendar can convert (19 February 1901 to 28 January 2101).</summary>
    public static bool IsSupportedDate(DateOnly date) =>
        date.ToDateTime(TimeOnly.MinValue) >= Calendar.MinSupportedDateTime && date.ToDateTime(TimeOnly.MinValue) <= Calendar.MaxSupportedDateTime;

    /// <summary>
    /// The solar date of lunar <paramref name="month"/>/<paramref name="day"/> in a lunar year. A leap month
    /// the year does not have falls back to the ordinary month of that number; day 30 of a month of 29 days
    /// falls on day 29. Null outside the supported years.
    /// </summary>
    public static DateOnly? ToSolar(int lunarYear, int month, int day, bool leapMonth = false)
    {
        if (!IsSupportedYear(lunarYear) || month is < 1 or > 12 || day is < 1 or > 30) return null;

        var leap = Calendar.GetLeapMonth(lunarYear);
        var index = leapMonth && leap == month + 1 ? month + 1
            : leap != 0 && month >= leap ? month + 1
            : month;
        var lastDay = Calendar.GetDaysInMonth(lunarYear, index);
        return DateOnly.FromDateTime(Calendar.ToDateTime(lunarYear, index, Math.Min(day, lastDay), 0, 0, 0, 0));
    }

    /// <summary>The lunar month (1-12, and whether it is the leap one) and day of a solar date.</summary>
    public static (int Year, int Month, int Day, bool LeapMonth) FromSolar(DateOnly date)
    {
        var instant = date.ToDateTime(TimeOnly.MinValue);
        var year = Calendar.GetYear(instant);
        var index = Calendar.GetMonth(instant);
        var leap = Calendar.GetLeapMonth(year);
        var isLeap = leap != 0 && index == leap;
        var month = leap != 0 && index >= leap ? index - 1 : index;
        return (year, month, Calendar.GetDayOfMonth(instant), isLeap);
    }
}
