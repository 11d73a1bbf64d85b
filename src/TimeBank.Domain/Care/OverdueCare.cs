using TimeBank.Domain.Elders;
using TimeBank.Domain.Pairings;

namespace TimeBank.Domain.Care;

/// <summary>A paired elder still waiting for one or more of the everyday rhythms.</summary>
public sealed record OverdueElder(
    Guid ElderId,
    CareCategory Category,
    Guid? GridWorkerId,
    Guid PairingId,
    Guid VolunteerId,
    DateOnly WaitingSince,
    IReadOnlyList<RhythmStatus> Overdue);

/// <summary>
/// Who is being missed: paired elders not greeted today, not visited this week, or with no service this
/// month. Those who have waited longest come first; on the same day, those living alone, then the disabled,
/// then the poor, then the rest.
/// </summary>
public static class OverdueCare
{
    public static readonly IReadOnlyList<Rhythm> Checked = [Rhythm.DailyGreeting, Rhythm.WeeklyVisit, Rhythm.MonthlyService];

    public static int Priority(CareCategory category) => category switch
    {
        CareCategory.LivingAlone => 0,
        CareCategory.Disabled => 1,
        CareCategory.Poor => 2,
        _ => 3,
    };

    public static OverdueElder? Of(Elder elder, Pairing pairing, CareCadence cadence, CareReceived received, DateOnly today)
    {
        var overdue = Checked
            .Select(rhythm => CadenceStatus.Of(rhythm, pairing, cadence, null, received, today))
            .Where(s => s.State is RhythmState.Due or RhythmState.Missed)
            .ToList();
        return overdue.Count == 0
            ? null
            : new OverdueElder(elder.Id, elder.Category, elder.GridWorkerId, pairing.Id, pairing.VolunteerId, overdue.Min(s => s.MissedSince!.Value), overdue);
    }

    public static IReadOnlyList<OverdueElder> InOrder(IEnumerable<OverdueElder> overdue) =>
        overdue.OrderBy(o => o.WaitingSince).ThenBy(o => Priority(o.Category)).ThenBy(o => o.ElderId).ToList();
}
