using TimeBank.Domain.Care;
using TimeBank.Domain.Elders;

namespace TimeBank.Domain.Tests.Care;

/// <summary>Festival and birthday dates checked against published almanac dates.</summary>
public class LunarCalendarTests
{
    // 2023 has a leap second month and 2025 a leap sixth month, so later festivals in those years only come
    // out right if the leap month is skipped.
    [TestCase(2023, "2023-01-22", "2023-02-05", "2023-06-22", "2023-09-29", "2023-10-23")]
    [TestCase(2024, "2024-02-10", "2024-02-24", "2024-06-10", "2024-09-17", "2024-10-11")]
    [TestCase(2025, "2025-01-29", "2025-02-12", "2025-05-31", "2025-10-06", "2025-10-29")]
    [TestCase(2026, "2026-02-17", "2026-03-03", "2026-06-19", "2026-09-25", "2026-10-18")]
    [TestCase(2027, "2027-02-06", "2027-02-20", "2027-06-09", "2027-09-15", "2027-10-08")]
    public void the_five_festivals_fall_on_their_almanac_dates(int year, string spring, string lantern, string dragonBoat, string midAutumn, string doubleNinth)
    {
        var festivals = ChineseFestivals.Between(new DateOnly(year, 1, 1), new DateOnly(year, 12, 31)).ToList();

        Assert.That(festivals, Is.EqualTo(new[]
        {
            new FestivalDay(Festival.SpringFestival, DateOnly.Parse(spring)),
            new FestivalDay(Festival.LanternFestival, DateOnly.Parse(lantern)),
            new FestivalDay(Festival.DragonBoatFestival, DateOnly.Parse(dragonBoat)),
            new FestivalDay(Festival.MidAutumnFestival, DateOnly.Parse(midAutumn)),
            new FestivalDay(Festival.DoubleNinthFestival, DateOnly.Parse(doubleNinth)),
        }));
    }

    [Test]
    public void a_lunar_date_converts_back_to_the_same_lunar_date()
    {
        // Qixi (7/7) 2025 came after the leap sixth month: 29 August 2025.
        Assert.That(LunarCalendar.FromSolar(new DateOnly(2025, 8, 29)), Is.EqualTo((2025, 7, 7, false)));
        // 25 July 2025 was the first day of the leap sixth month (闰六月初一).
        Assert.That(LunarCalendar.FromSolar(new DateOnly(2025, 7, 25)), Is.EqualTo((2025, 6, 1, true)));
        Assert.That(LunarCalendar.ToSolar(2025, 6, 1, leapMonth: true), Is.EqualTo(new DateOnly(2025, 7, 25)));
    }

    [Test]
    public void a_birthday_in_a_leap_month_is_kept_in_the_leap_month_when_the_year_has_one_and_in_the_ordinary_month_otherwise()
    {
        var birthday = Birthday.Of(null, new LunarBirthday(6, 1, LeapMonth: true))!;

        Assert.That(birthday.Between(new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31)), Is.EqualTo(new[] { new DateOnly(2025, 7, 25) }));
        var in2026 = birthday.Between(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31)).Single();
        Assert.That(LunarCalendar.FromSolar(in2026), Is.EqualTo((2026, 6, 1, false)));
    }

    [Test]
    public void a_birthday_on_the_thirtieth_of_a_month_that_has_only_29_days_is_kept_on_the_29th()
    {
        // New Year's Eve of lunar 2023 was the 30th of the twelfth month (9 February 2024); lunar 2024's twelfth
        // month had 29 days, so its eve was 28 January 2025.
        var birthday = Birthday.Of(null, new LunarBirthday(12, 30))!;

        Assert.That(birthday.Between(new DateOnly(2024, 1, 1), new DateOnly(2025, 12, 31)),
            Is.EqualTo(new[] { new DateOnly(2024, 2, 9), new DateOnly(2025, 1, 28) }));
    }

    [Test]
    public void a_solar_birthday_on_29_february_is_kept_on_28_february_in_common_years()
    {
        var birthday = Birthday.Of(new DateOnly(1940, 2, 29), null)!;

        Assert.That(birthday.Between(new DateOnly(2026, 1, 1), new DateOnly(2028, 12, 31)),
            Is.EqualTo(new[] { new DateOnly(2026, 2, 28), new DateOnly(2027, 2, 28), new DateOnly(2028, 2, 29) }));
    }

    [Test]
    public void a_lunar_birthday_is_preferred_to_the_solar_birth_date()
    {
        // Born 15 August lunar (Mid-Autumn): kept on 25 September 2026, whatever the solar birth date.
        var birthday = Birthday.Of(new DateOnly(1938, 3, 1), new LunarBirthday(8, 15))!;

        Assert.That(birthday.Between(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31)), Is.EqualTo(new[] { new DateOnly(2026, 9, 25) }));
    }

    [Test]
    public void dates_beyond_the_lunar_calendar_have_no_festivals_rather_than_an_error()
    {
        Assert.That(ChineseFestivals.Between(new DateOnly(2200, 1, 1), new DateOnly(2200, 12, 31)), Is.Empty);
        Assert.That(Birthday.Of(null, new LunarBirthday(1, 1))!.Between(new DateOnly(1, 1, 1), new DateOnly(1, 12, 31)), Is.Empty);
    }

    [Test]
    public void the_age_turned_counts_lunar_years_for_a_lunar_birthday()
    {
        // Born 10 January 1937 (solar), in the eleventh month of lunar 1936 (the year of the Rat). The lunar
        // birthday in early 2027 (lunar 2026, the year of the Horse) makes them 90 by lunar years.
        var born = new DateOnly(1937, 1, 10);
        var lunar = LunarCalendar.FromSolar(born);
        var birthday = Birthday.Of(born, new LunarBirthday(lunar.Month, lunar.Day))!;
        var next = birthday.Between(new DateOnly(2026, 12, 1), new DateOnly(2027, 2, 28)).Single();

        Assert.That(lunar.Year, Is.EqualTo(1936));
        Assert.That(birthday.AgeOn(next), Is.EqualTo(90));
        Assert.That(Birthday.Of(born, null)!.AgeOn(new DateOnly(2027, 1, 10)), Is.EqualTo(90));
    }
}
