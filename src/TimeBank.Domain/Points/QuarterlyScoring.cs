using TimeBank.Domain.Care;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Elders;
using TimeBank.Domain.Services;

namespace TimeBank.Domain.Points;

/// <summary>
/// Scores one volunteer's quarter from their own stream, so that a replay reaches the same award. A service
/// or reversal waits on the stream until an award covers it: the award of its own quarter, or, when it was
/// appended after that quarter closed, the award of the next quarter closed (as an adjustment).
/// A late service is scored with the rules of the quarter it belongs to (its rate, weights and whether it had
/// to be confirmed), not those of the quarter that closes it: what a service is worth does not depend on when
/// its record arrived. The closing quarter's rules give its bonuses and its cap, which adjustments are not under.
/// </summary>
public static class QuarterlyScoring
{
    /// <param name="stream">The volunteer's events, in stream order.</param>
    /// <param name="rulesFor">The scoring rules in effect for a quarter.</param>
    /// <param name="categoryOn">The care category an elder was in on a day; null for an unknown elder.</param>
    /// <param name="owedCare">The periods the volunteer's pairings owed in the quarter.</param>
    /// <param name="balance">The volunteer's points balance before this award.</param>
    public static ScoreBreakdown Score(
        IEnumerable<object> stream, Quarter quarter, Func<Quarter, ScoringRules> rulesFor, Func<Guid, DateOnly, CareCategory?> categoryOn, IEnumerable<OwedPeriod> owedCare, int balance)
    {
        var rules = rulesFor(quarter);
        var waiting = Waiting(stream, out var confirmed);
        var lines = new List<ScoreLine>();
        foreach (var item in waiting.Where(w => Quarter.Containing(w.Day).CompareTo(quarter) <= 0))
        {
            lines.Add(item switch
            {
                { Reversal: { } reversed, ScoredPoints: var points } => new ScoreLine(
                    reversed.ServiceId, reversed.ServiceDay, Quarter.Containing(reversed.ServiceDay), reversed.ServiceType, -reversed.Minutes, 0, 0, -points, true, true),
                { Service: { } service } => LineFor(service, quarter, rulesFor(Quarter.Containing(service.ServiceDay)), categoryOn, confirmed),
                _ => throw new InvalidOperationException("A waiting item is a service or a reversal."),
            });
        }

        var bonuses = BonusLines(rules, owedCare);
        int servicePoints = lines.Where(l => !l.Adjustment).Sum(l => l.Points), bonusPoints = bonuses.Sum(b => b.Points);
        var ownPoints = servicePoints + bonusPoints;
        var cut = rules.QuarterCap is { } cap && ownPoints > cap ? ownPoints - cap : 0;
        var adjustments = lines.Where(l => l.Adjustment).Sum(l => l.Points);
        var total = ownPoints - cut + adjustments;
        var unrecovered = balance + total < 0 ? -(balance + total) : 0;
        return new ScoreBreakdown(lines, bonuses, servicePoints, bonusPoints, rules.QuarterCap, cut, adjustments, unrecovered, total + unrecovered);
    }

    private static ScoreLine LineFor(ServiceRecorded service, Quarter quarter, ScoringRules rules, Func<Guid, DateOnly, CareCategory?> categoryOn, IReadOnlySet<Guid> confirmed)
    {
        var rate = rules.RateOf(service.ServiceType);
        var weight = service.ElderIds.Select(e => categoryOn(e, service.ServiceDay)).OfType<CareCategory>().Select(rules.WeightOf).DefaultIfEmpty(100).Max();
        var serviceQuarter = Quarter.Containing(service.ServiceDay);
        var adjustment = serviceQuarter.CompareTo(quarter) < 0;
        if (rules.OnlyConfirmedServicesCount && !confirmed.Contains(service.ServiceId))
        {
            return new ScoreLine(service.ServiceId, service.ServiceDay, serviceQuarter, service.ServiceType, service.Minutes, rate, weight, 0, adjustment, false, "not-confirmed");
        }

        return new ScoreLine(service.ServiceId, service.ServiceDay, serviceQuarter, service.ServiceType, service.Minutes, rate, weight,
            ScoringRules.PointsFor(service.Minutes, rate, weight), adjustment, false);
    }

    private static List<BonusLine> BonusLines(ScoringRules rules, IEnumerable<OwedPeriod> owedCare) =>
        owedCare
            .GroupBy(o => (o.Pairing.Id, o.Pairing.ElderId, o.Rhythm))
            .SelectMany(g => rules.RhythmBonuses.Where(b => b.Rhythm == g.Key.Rhythm).Select(bonus =>
            {
                int owed = g.Count(), kept = g.Count(o => o.Kept);
                var percent = CadenceCompliance.PercentKept(owed, kept);
                return new BonusLine(g.Key.Id, g.Key.ElderId, g.Key.Rhythm, owed, kept, percent, bonus.MinPercentKept, percent >= bonus.MinPercentKept ? bonus.Points : 0);
            }))
            .OrderBy(b => b.PairingId).ThenBy(b => b.Rhythm)
            .ToList();

    /// <summary>A service or reversal not yet covered by an award; a reversal carries the points its service was awarded.</summary>
    private sealed record WaitingItem(DateOnly Day, ServiceRecorded? Service, ServiceReversed? Reversal, int ScoredPoints);

    private static List<WaitingItem> Waiting(IEnumerable<object> stream, out IReadOnlySet<Guid> confirmed)
    {
        var waiting = new List<WaitingItem>();
        var scoredPoints = new Dictionary<Guid, int>();
        var confirmedServices = new HashSet<Guid>();
        foreach (var @event in stream)
        {
            switch (@event)
            {
                case ServiceRecorded recorded:
                    waiting.Add(new WaitingItem(recorded.ServiceDay, recorded, null, 0));
                    break;
                case ServiceConfirmed c:
                    confirmedServices.Add(c.ServiceId);
                    break;
                case ServiceReversed reversed:
                    // Reversed before any award covered it: the two cancel and neither is scored.
                    if (waiting.RemoveAll(w => w.Service?.ServiceId == reversed.ServiceId) == 0)
                    {
                        waiting.Add(new WaitingItem(reversed.ServiceDay, null, reversed, scoredPoints.GetValueOrDefault(reversed.ServiceId)));
                    }

                    break;
                case PointsAwarded awarded:
                    var covered = awarded.Breakdown.Services.Select(l => (l.ServiceId, l.Reversal)).ToHashSet();
                    waiting.RemoveAll(w => covered.Contains(((w.Service?.ServiceId ?? w.Reversal!.ServiceId), w.Reversal is not null)));
                    foreach (var line in awarded.Breakdown.Services.Where(l => !l.Reversal)) scoredPoints[line.ServiceId] = line.Points;
                    break;
            }
        }

        confirmed = confirmedServices;
        return waiting;
    }
}
