using TimeBank.Domain.Communities;

namespace TimeBank.Domain.Care;

/// <summary>
/// One period of a rhythm, first and last day inclusive, in the community's calendar: a day, a week, a
/// month, a quarter, or the window around a festival or birthday (<paramref name="Occasion"/> is then the day itself).
/// </summary>
public sealed record CarePeriod(Rhythm Rhythm, DateOnly Start, DateOnly End, Festival? Festival = null, DateOnly? Occasion = null)
{
    public bool Contains(DateOnly day) => Start <= day && day <= End;
}

/// <summary>Cuts the calendar into the periods of each rhythm.</summary>
public static class CarePeriods
{
    /// <summary>The period of a calendar rhythm (day, week, month, quarter) that a day lies in.</summary>
    public static CarePeriod Containing(Rhythm rhythm, DateOnly day, CareCadence cadence)
    {
        switch (rhythm)
        {
            case Rhythm.DailyGreeting:
                return new CarePeriod(rhythm, day, day);
            case Rhythm.WeeklyVisit:
                var start = day.AddDays(-(((int)day.DayOfWeek - (int)cadence.WeekStartsOn + 7) % 7));
                return new CarePeriod(rhythm, start, start.AddDays(6));
            case Rhythm.MonthlyService:
                var first = new DateOnly(day.Year, day.Month, 1);
                return new CarePeriod(rhythm, first, first.AddMonths(1).AddDays(-1));
            case Rhythm.QuarterlyActivity:
                var quarter = Quarter.Containing(day);
                return new CarePeriod(rhythm, quarter.FirstDay, quarter.LastDay);
            default:
                throw new ArgumentOutOfRangeException(nameof(rhythm), rhythm, "Festivals and birthdays have windows, not calendar periods.");
        }
    }

    /// <summary>The calendar period right after this one.</summary>
    public static CarePeriod Next(CarePeriod period, CareCadence cadence) => Containing(period.Rhythm, period.End.AddDays(1), cadence);

    /// <summary>
    /// The periods of a rhythm whose last day lies between two dates. A period belongs to the range its last
    /// day is in, so adjacent ranges (two quarters) count every period exactly once.
    /// </summary>
    public static IEnumerable<CarePeriod> EndingBetween(Rhythm rhythm, DateOnly from, DateOnly to, CareCadence cadence, Birthday? birthday)
    {
        if (to < from) yield break;
        switch (rhythm)
        {
            case Rhythm.FestivalActivity:
                var festivalWindow = cadence.FestivalWindowDays;
                foreach (var festival in ChineseFestivals.Between(from.AddDays(-festivalWindow), to.AddDays(festivalWindow)))
                {
                    var window = new CarePeriod(rhythm, festival.Date.AddDays(-festivalWindow), festival.Date.AddDays(festivalWindow), festival.Festival, festival.Date);
                    if (window.End >= from && window.End <= to) yield return window;
                }

                yield break;
            case Rhythm.BirthdayVisit:
                if (birthday is null) yield break;
                var birthdayWindow = cadence.BirthdayWindowDays;
                foreach (var day in birthday.Between(from.AddDays(-birthdayWindow), to.AddDays(birthdayWindow)))
                {
                    var window = new CarePeriod(rhythm, day.AddDays(-birthdayWindow), day.AddDays(birthdayWindow), Occasion: day);
                    if (window.End >= from && window.End <= to) yield return window;
                }

                yield break;
            default:
                for (var period = Containing(rhythm, from, cadence); period.End <= to; period = Next(period, cadence))
                {
                    if (period.End >= from) yield return period;
                }

                yield break;
        }
    }

    /// <summary>
    /// The window of a festival or birthday that a day lies in or, if none, the last one before it; null
    /// when there was none in the year before.
    /// </summary>
    public static CarePeriod? CurrentOrLastWindow(Rhythm rhythm, DateOnly today, CareCadence cadence, Birthday? birthday) =>
        EndingBetween(rhythm, today.AddYears(-1), today.AddDays(CareCadence.MaxWindowDays), cadence, birthday)
            .LastOrDefault(w => w.Start <= today);
}
