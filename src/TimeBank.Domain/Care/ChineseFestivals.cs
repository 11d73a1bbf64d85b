namespace TimeBank.Domain.Care;

/// <summary>The traditional festivals at which the community holds an activity with its elders.</summary>
public enum Festival
{
    /// <summary>春节, lunar 1/1.</summary>
    SpringFestival,

    /// <summary>元宵节, lunar 1/15: sweet dumplings.</summary>
    LanternFestival,

    /// <summary>端午节, lunar 5/5.</summary>
    DragonBoatFestival,

    /// <summary>中秋节, lunar 8/15: mooncakes.</summary>
    MidAutumnFestival,

    /// <summary>重阳节, lunar 9/9, the day of the elderly: cakes.</summary>
    DoubleNinthFestival,
}

/// <summary>A festival on its solar date.</summary>
public sealed record FestivalDay(Festival Festival, DateOnly Date);

public static class ChineseFestivals
{
    private static readonly (Festival Festival, int Month, int Day)[] LunarDates =
    [
        (Festival.SpringFestival, 1, 1),
        (Festival.LanternFestival, 1, 15),
        (Festival.DragonBoatFestival, 5, 5),
        (Festival.MidAutumnFestival, 8, 15),
        (Festival.DoubleNinthFestival, 9, 9),
    ];

    /// <summary>
    /// The festivals on days from <paramref name="from"/> to <paramref name="to"/>, in date order. All five
    /// fall in the first nine lunar months, so lunar year Y's festivals all fall in solar year Y.
    /// </summary>
    public static IEnumerable<FestivalDay> Between(DateOnly from, DateOnly to)
    {
        for (var year = from.Year; year <= to.Year; year++)
        {
            foreach (var (festival, month, day) in LunarDates)
            {
                if (LunarCalendar.ToSolar(year, month, day) is { } date && date >= from && date <= to)
                {
                    yield return new FestivalDay(festival, date);
                }
            }
        }
    }
}
