using TimeBank.Domain.Pairings;

namespace TimeBank.Domain.Care;

public enum RhythmState
{
    /// <summary>Kept in the current period (or, for a festival or birthday, in the current or last window).</summary>
    Kept,

    /// <summary>Not kept yet in the current period, and the one before was kept or not owed.</summary>
    Due,

    /// <summary>Not kept in the current period nor in one or more whole periods before it.</summary>
    Missed,

    /// <summary>The pairing began after the current period started: the rhythm is owed from the next one.</summary>
    NotOwedYet,

    /// <summary>No festival or birthday window in the last year (or the birthday is not known).</summary>
    NoOccasion,
}

/// <summary>
/// Where one rhythm of a pairing stands on a day: the period it is in, whether it is kept, the last day it was
/// kept, and since when it has not been (the first day of the first unkept period owed since then).
/// </summary>
public sealed record RhythmStatus(Rhythm Rhythm, CarePeriod? Period, RhythmState State, DateOnly? LastKeptOn, DateOnly? MissedSince, int WholePeriodsMissed);

/// <summary>
/// The six ones of a pairing. A rhythm is the elder's due: any service of a type that keeps it counts,
/// whoever gave it, so an elder greeted by a substitute has been greeted. A period is owed when the pairing
/// was active on every day of it; active means from the day it started to the day before it ended.
/// </summary>
public static class CadenceStatus
{
    public static IReadOnlyList<RhythmStatus> Of(Pairing pairing, CareCadence cadence, Birthday? birthday, CareReceived received, DateOnly today) =>
        Rhythms.All.Select(rhythm => Of(rhythm, pairing, cadence, birthday, received, today)).ToList();

    public static RhythmStatus Of(Rhythm rhythm, Pairing pairing, CareCadence cadence, Birthday? birthday, CareReceived received, DateOnly today)
    {
        var types = cadence.ServiceTypesFor(rhythm);
        var lastKept = received.LastDay(types, today);
        if (!rhythm.IsCalendarRhythm()) return OfOccasion(rhythm, pairing, cadence, birthday, received, today, lastKept);

        var current = CarePeriods.Containing(rhythm, today, cadence);
        if (lastKept >= current.Start) return new RhythmStatus(rhythm, current, RhythmState.Kept, lastKept, null, 0);

        var firstOwed = FirstOwed(rhythm, pairing, cadence);
        if (current.Start < firstOwed.Start) return new RhythmStatus(rhythm, current, RhythmState.NotOwedYet, lastKept, null, 0);

        var missedFrom = firstOwed;
        if (lastKept is { } kept)
        {
            var afterKept = CarePeriods.Next(CarePeriods.Containing(rhythm, kept, cadence), cadence);
            if (afterKept.Start > missedFrom.Start) missedFrom = afterKept;
        }

        var wholeMissed = 0;
        for (var period = missedFrom; period.Start < current.Start; period = CarePeriods.Next(period, cadence)) wholeMissed++;
        return new RhythmStatus(rhythm, current, wholeMissed == 0 ? RhythmState.Due : RhythmState.Missed, lastKept, missedFrom.Start, wholeMissed);
    }

    /// <summary>Whether the pairing was active on every day of a period.</summary>
    public static bool Owes(this Pairing pairing, CarePeriod period) =>
        period.Start >= pairing.StartedOn && (pairing.EndedOn is not { } ended || period.End < ended);

    private static CarePeriod FirstOwed(Rhythm rhythm, Pairing pairing, CareCadence cadence)
    {
        var first = CarePeriods.Containing(rhythm, pairing.StartedOn, cadence);
        return first.Start < pairing.StartedOn ? CarePeriods.Next(first, cadence) : first;
    }

    private static RhythmStatus OfOccasion(
        Rhythm rhythm, Pairing pairing, CareCadence cadence, Birthday? birthday, CareReceived received, DateOnly today, DateOnly? lastKept)
    {
        if (CarePeriods.CurrentOrLastWindow(rhythm, today, cadence, birthday) is not { } window)
        {
            return new RhythmStatus(rhythm, null, RhythmState.NoOccasion, lastKept, null, 0);
        }

        var types = cadence.ServiceTypesFor(rhythm);
        var soFar = window.End < today ? window.End : today;
        if (received.Any(types, window.Start, soFar)) return new RhythmStatus(rhythm, window, RhythmState.Kept, lastKept, null, 0);
        if (!pairing.Owes(window)) return new RhythmStatus(rhythm, window, RhythmState.NotOwedYet, lastKept, null, 0);
        return window.End < today
            ? new RhythmStatus(rhythm, window, RhythmState.Missed, lastKept, window.Start, 1)
            : new RhythmStatus(rhythm, window, RhythmState.Due, lastKept, window.Start, 0);
    }
}
