namespace TimeBank.Domain.Elders;

/// <summary>
/// A birthday kept by the Chinese lunisolar calendar (农历): month 1-12, day 1-30, and whether it falls in
/// a leap month (闰月). Personal data, like every birth date.
/// </summary>
public sealed record LunarBirthday(int Month, int Day, bool LeapMonth = false)
{
    public bool IsValid => Month is >= 1 and <= 12 && Day is >= 1 and <= 30;
}
