using Marten;
using TimeBank.Domain.Care;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Elders;
using TimeBank.Domain.Pairings;

namespace TimeBank.Api.Care;

/// <summary>The periods every pairing of a community owed over a range of days, with the elders they were owed to.</summary>
public sealed record OwedCare(IReadOnlyList<OwedPeriod> Periods, IReadOnlyDictionary<Guid, Elder> Elders);

/// <summary>
/// Counts the six ones of a whole community over a range from the ledger's views; what compliance rates,
/// the quarterly scoring bonuses and the quarterly report all read.
/// </summary>
public static class CadenceCounting
{
    public static async Task<OwedCare> OwedCareAsync(this IQuerySession session, Community community, DateOnly from, DateOnly to, DateOnly today, CancellationToken cancellation)
    {
        var pairings = await session.Query<Pairing>()
            .Where(p => p.StartedOn <= to && (p.EndedOn == null || p.EndedOn > from))
            .ToListAsync(cancellation);
        if (pairings.Count == 0) return new OwedCare([], new Dictionary<Guid, Elder>());

        var elders = (await session.LoadManyAsync<Elder>(cancellation, pairings.Select(p => p.ElderId).Distinct())).ToDictionary(e => e.Id);
        var birthdays = await session.BirthdaysAsync(cancellation);

        // A period ending in the range began at most a quarter, or a festival window, before it.
        var cadence = community.Cadence;
        var earliest = Quarter.Containing(from).FirstDay.AddDays(-2 * CareCadence.MaxWindowDays);
        var days = await session.DaysBetweenAsync(earliest, to, null, cancellation);

        var owed = pairings
            .SelectMany(p => CadenceCompliance.Owed(p, cadence, birthdays.GetValueOrDefault(p.ElderId), new CareReceived(days[p.ElderId]), from, to, today))
            .ToList();
        return new OwedCare(owed, elders);
    }

    /// <summary>What the elder received that says where each rhythm of a pairing stands today.</summary>
    public static async Task<CareReceived> ReceivedForStatusAsync(this IQuerySession session, Pairing pairing, DateOnly today, CancellationToken cancellation)
    {
        // The last day of each kind since the pairing began answers the calendar rhythms; the last year and a
        // window in full answers the festival and birthday windows.
        var last = await session.LastDaysAsync(pairing.StartedOn, today, pairing.ElderId, cancellation);
        var recent = await session.DaysBetweenAsync(today.AddYears(-1).AddDays(-CareCadence.MaxWindowDays), today, pairing.ElderId, cancellation);
        return new CareReceived(last[pairing.ElderId].Concat(recent[pairing.ElderId]));
    }
}
