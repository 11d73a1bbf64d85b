using TimeBank.Domain.Elders;

namespace TimeBank.Domain.Care;

/// <summary>
/// When an elder's birthday is kept: by the lunar date when their record has one (many families keep the
/// lunar birthday), otherwise by the solar birth date. Personal data: never logged.
/// </summary>
public sealed record Birthday(DateOnly? SolarBirthDate, LunarBirthday? Lunar)
{
    public static Birthday? Of(DateOnly? solarBirthDate, LunarBirthday? lunar) =>
        solarBirthDate is null && lunar is null ? null : new Birthday(solarBirthDate, lunar);

    public bool IsLunar => Lunar is not null;

    /// <summary>
    /// The days the birthday falls on between two dates. A solar birthday on 29 February is kept on
    /// 28 February in common years. For a lunar one, see <see cref="LunarCalendar.ToSolar"/>: a birthday in a
    /// leap month is kept in the ordinary month of that number in years without that leap month.
    /// </summary>
    public IEnumerable<DateOnly> Between(DateOnly from, DateOnly to)
    {
        // A lunar birthday late in lunar year Y falls in January or February of solar year Y + 1.
        for (var year = from.Year - (IsLunar ? 1 : 0); year <= to.Year; year++)
        {
            if (InYear(year) is { } day && day >= from && day <= to) yield return day;
        }
    }

    /// <summary>
    /// The age an elder turns at a birthday on <paramref name="occasion"/>, counted in lunar years for a lunar
    /// birthday; unknown without a solar birth date (or outside the lunar calendar's years).
    /// </summary>
    public int? AgeOn(DateOnly occasion)
    {
        if (SolarBirthDate is not { } born) return null;
        if (!IsLunar) return occasion.Year - born.Year;
        if (!LunarCalendar.IsSupportedDate(born) || !LunarCalendar.IsSupportedDate(occasion)) return null;
        return LunarCalendar.FromSolar(occasion).Year - LunarCalendar.FromSolar(born).Year;
    }

    private DateOnly? InYear(int year)
    {
        if (Lunar is { } lunar) return LunarCalendar.ToSolar(year, lunar.Month, lunar.Day, lunar.LeapMonth);
        var birth = SolarBirthDate!.Value;
        if (year < 1 || year > 9999) return null;
        return new DateOnly(year, birth.Month, Math.Min(birth.Day, DateTime.DaysInMonth(year, birth.Month)));
    }
}
