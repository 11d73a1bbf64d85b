using TimeBank.Domain.Pairings;

namespace TimeBank.Domain.Care;

/// <summary>One period a pairing owed its elder, and whether it was kept.</summary>
public sealed record OwedPeriod(Pairing Pairing, CarePeriod Period, bool Kept)
{
    public Rhythm Rhythm => Period.Rhythm;
}

/// <summary>How many periods of a rhythm were owed and kept; the percentage is rounded down.</summary>
public sealed record RhythmTally(Rhythm Rhythm, int Owed, int Kept)
{
    public int? PercentKept => CadenceCompliance.PercentKept(Owed, Kept);
}

/// <summary>
/// How well the six ones were kept over a range of days: every period owed whose last day lies in the range
/// and is over (a period still running counts only once it is over), and whether it was kept.
/// </summary>
public static class CadenceCompliance
{
    public static IEnumerable<OwedPeriod> Owed(
        Pairing pairing, CareCadence cadence, Birthday? birthday, CareReceived received, DateOnly from, DateOnly to, DateOnly today)
    {
        var lastOver = to < today ? to : today.AddDays(-1);
        foreach (var rhythm in Rhythms.All)
        {
            var types = cadence.ServiceTypesFor(rhythm);
            foreach (var period in CarePeriods.EndingBetween(rhythm, from, lastOver, cadence, birthday))
            {
                if (pairing.Owes(period)) yield return new OwedPeriod(pairing, period, received.Any(types, period.Start, period.End));
            }
        }
    }

    /// <summary>The share kept in whole percent, rounded down (99.9% kept is not 100%); none when nothing was owed.</summary>
    public static int? PercentKept(int owed, int kept) => owed == 0 ? null : kept * 100 / owed;

    /// <summary>Owed and kept per rhythm, every rhythm listed even when nothing of it was owed.</summary>
    public static IReadOnlyList<RhythmTally> Tally(IEnumerable<OwedPeriod> owed)
    {
        var byRhythm = owed.GroupBy(o => o.Rhythm).ToDictionary(g => g.Key, g => (Owed: g.Count(), Kept: g.Count(o => o.Kept)));
        return Rhythms.All.Select(r => byRhythm.TryGetValue(r, out var t) ? new RhythmTally(r, t.Owed, t.Kept) : new RhythmTally(r, 0, 0)).ToList();
    }
}
