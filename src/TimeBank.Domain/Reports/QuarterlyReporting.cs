using TimeBank.Domain.Care;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Elders;
using TimeBank.Domain.Pairings;
using TimeBank.Domain.Points;
using TimeBank.Domain.Services;
using TimeBank.Domain.Store;
using TimeBank.Domain.TimeAccounts;
using TimeBank.Domain.Volunteers;

namespace TimeBank.Domain.Reports;

/// <summary>One event of the log as the report reads it: its place in the log, its stream, and what happened.</summary>
public sealed record LedgerEvent(long Sequence, Guid StreamId, object Data);

/// <summary>
/// Builds a community's quarterly report by folding its events, in log order, up to the quarter's closing,
/// with the same aggregates the live views use. Nothing else goes in but the birthdays (kept with the
/// elders' personal data, as the six ones are counted live): the same events give the same report. It names
/// nobody; the names to print are put in by <see cref="QuarterlyReport.Named"/> when it is read.
/// </summary>
public static class QuarterlyReporting
{
    /// <summary>Places on the commendation list (ties at the last place are all listed).</summary>
    public const int CommendationPlaces = 10;

    /// <summary>The bands of the points distribution: nothing (or less), then ranges of awards.</summary>
    public static readonly IReadOnlyList<(int From, int? To)> PointsBands = [(int.MinValue, 0), (1, 99), (100, 299), (300, 599), (600, 999), (1000, null)];

    public static QuarterlyReport Build(
        Quarter quarter, IEnumerable<LedgerEvent> events, ReportCoverage coverage, Func<Guid, Birthday?> birthdayOf)
    {
        var fold = new Fold(quarter);
        foreach (var e in events) fold.Take(e);
        return fold.Report(coverage, birthdayOf);
    }

    /// <summary>
    /// The report's fold taken one event at a time, in log order, for a reader that streams a long history
    /// rather than holding all of it: only what the quarter needs is kept.
    /// </summary>
    public sealed class Fold(Quarter quarter)
    {
        private readonly Ledger _ledger = new(quarter);

        public void Take(LedgerEvent e) => _ledger.Take(e);

        public QuarterlyReport Report(ReportCoverage coverage, Func<Guid, Birthday?> birthdayOf) => Build(_ledger, coverage, birthdayOf);
    }

    private static QuarterlyReport Build(Ledger ledger, ReportCoverage coverage, Func<Guid, Birthday?> birthdayOf)
    {
        var quarter = ledger.Quarter;
        if (ledger.Community is not { } community) throw new InvalidOperationException("The events hold no community.");
        if (ledger.ClosedAt is not { } closedAt) throw new InvalidOperationException($"The events hold no closing of {quarter}.");

        var standing = ledger.QuarterServices.Where(s => !ledger.Reversed.Contains(s.ServiceId)).ToList();
        var volunteers = VolunteerLines(ledger, standing);
        var received = standing.SelectMany(s => s.ElderIds.Select(elderId => (ElderId: elderId, Service: s))).ToLookup(x => x.ElderId, x => x.Service);
        var owed = OwedCare(ledger, community.Cadence, birthdayOf, community.Calendar.DayOf(closedAt));
        // The quarter's elders: those registered by its end, and any registered later whose care in it was
        // recorded (an office catching up on its paper records registers the elder first).
        var cared = owed.Select(o => o.Pairing.ElderId).ToHashSet();
        var elders = ledger.Elders.Values
            .Where(e => e.RegisteredOn <= quarter.LastDay || received.Contains(e.Id) || cared.Contains(e.Id))
            .OrderBy(e => e.Id)
            .ToList();
        var categoryAtEnd = elders.ToDictionary(e => e.Id, e => e.CategoryOn(quarter.LastDay));

        return new QuarterlyReport(
            community.Code,
            community.Name,
            community.County,
            quarter,
            closedAt,
            coverage,
            Totals(ledger, volunteers, elders, received),
            volunteers,
            ElderCategories(elders, categoryAtEnd, received),
            Cadence(owed),
            CadenceByCategory(owed, categoryAtEnd),
            EldersWithoutVisit(ledger, elders, categoryAtEnd, received, community.Cadence),
            ledger.StoreMovements(),
            Teams(volunteers),
            Commendations(volunteers),
            Adjustments(ledger),
            MinutesByMonth(quarter, standing),
            PointsDistribution(ledger),
            ServiceTypes(community, standing),
            community.TimeZoneId);
    }

    private static List<VolunteerSettlement> VolunteerLines(Ledger ledger, List<ServiceRecorded> standing)
    {
        var quarter = ledger.Quarter;
        var all = ledger.QuarterServices.ToLookup(s => s.VolunteerId);
        var standingOf = standing.ToLookup(s => s.VolunteerId);
        return ledger.Volunteers.Values
            .Where(v => (v.EnrolledOn <= quarter.LastDay && !(v.LeftOn < quarter.FirstDay)) || all.Contains(v.Id) || ledger.Awards.ContainsKey(v.Id))
            .OrderBy(v => v.Team, StringComparer.Ordinal).ThenBy(v => v.Id)
            .Select(v =>
            {
                var mine = standingOf[v.Id].ToList();
                var recorded = all[v.Id].ToList();
                var award = ledger.Awards.GetValueOrDefault(v.Id)?.Breakdown;
                var flows = ledger.Flows.GetValueOrDefault(v.Id) ?? new Flows();
                var books = ledger.Books.GetValueOrDefault(v.Id) ?? QuarterBalances.None;
                var byType = mine.GroupBy(s => s.ServiceType, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => new ServiceTypeMinutes(g.Key, g.Count(), g.Sum(s => s.Minutes))).ToList();
                return new VolunteerSettlement(
                    v.Id, null, v.Team, byType, mine.Count, mine.Sum(s => s.Minutes),
                    recorded.Count(s => ledger.Confirmed.Contains(s.ServiceId)), recorded.Count(s => ledger.Disputed.Contains(s.ServiceId)), recorded.Count - mine.Count,
                    award?.Total ?? 0, award?.ServicePoints ?? 0, award?.BonusPoints ?? 0, award?.CutByCap ?? 0, award?.AdjustmentPoints ?? 0, award?.Unrecovered ?? 0,
                    flows.Redeemed, flows.Restored, v.Points.Balance, v.Account.Balance, flows.Spent, flows.Given, flows.Received,
                    flows.Expired, flows.PointsIn, flows.PointsOut, flows.MinutesIn, flows.MinutesOut,
                    books.PointsBroughtForward, books.PointsCarriedForward, books.MinutesBroughtForward, books.MinutesBanked, books.MinutesCarriedForward);
            })
            .ToList();
    }

    private static ReportTotals Totals(Ledger ledger, List<VolunteerSettlement> volunteers, List<Elder> elders, ILookup<Guid, ServiceRecorded> received) => new(
        volunteers.Count,
        volunteers.Count(v => v.Services > 0),
        elders.Count,
        elders.Count(e => received.Contains(e.Id)),
        volunteers.Sum(v => v.Services),
        volunteers.Sum(v => v.MinutesServed),
        volunteers.Sum(v => v.Confirmed),
        volunteers.Sum(v => v.Disputed),
        volunteers.Sum(v => v.Reversed),
        ledger.Awards.Values.Sum(a => a.Points),
        volunteers.Sum(v => v.PointsRedeemed),
        volunteers.Sum(v => v.PointsRestored),
        volunteers.Sum(v => v.PointsExpired),
        volunteers.Sum(v => v.PointsTransferredIn),
        volunteers.Sum(v => v.PointsTransferredOut));

    private static List<CategoryCare> ElderCategories(List<Elder> elders, Dictionary<Guid, CareCategory> categoryAtEnd, ILookup<Guid, ServiceRecorded> received) =>
        Enum.GetValues<CareCategory>()
            .Select(category =>
            {
                var these = elders.Where(e => categoryAtEnd[e.Id] == category).ToList();
                var services = these.SelectMany(e => received[e.Id]).ToList();
                return new CategoryCare(category, these.Count, these.Count(e => received.Contains(e.Id)), services.Count, services.Sum(s => s.Minutes));
            })
            .ToList();

    /// <summary>Every period the pairings of the quarter owed, counted as the closing counted them.</summary>
    private static List<OwedPeriod> OwedCare(Ledger ledger, CareCadence cadence, Func<Guid, Birthday?> birthdayOf, DateOnly countedOn)
    {
        var quarter = ledger.Quarter;
        var received = ledger.Services.Values
            .Where(s => !ledger.Reversed.Contains(s.ServiceId))
            .SelectMany(s => s.ElderIds.Select(elderId => (ElderId: elderId, s.ServiceDay, s.ServiceType)))
            .ToLookup(x => x.ElderId, x => (x.ServiceDay, x.ServiceType));
        return ledger.Pairings.Values
            .Where(p => p.StartedOn <= quarter.LastDay && (p.EndedOn == null || p.EndedOn > quarter.FirstDay))
            .OrderBy(p => p.Id)
            .SelectMany(p => CadenceCompliance.Owed(p, cadence, birthdayOf(p.ElderId), new CareReceived(received[p.ElderId]), quarter.FirstDay, quarter.LastDay, countedOn))
            .ToList();
    }

    private static List<RhythmKept> Cadence(List<OwedPeriod> owed) =>
        Rhythms.All
            .Select(rhythm =>
            {
                var byPairing = owed.Where(o => o.Rhythm == rhythm).GroupBy(o => o.Pairing.Id).ToList();
                return new RhythmKept(rhythm, byPairing.Count, byPairing.Count(g => g.All(o => o.Kept)), byPairing.Sum(g => g.Count()), byPairing.Sum(g => g.Count(o => o.Kept)));
            })
            .ToList();

    private static List<CategoryRhythmKept> CadenceByCategory(List<OwedPeriod> owed, Dictionary<Guid, CareCategory> categoryAtEnd) =>
        (from category in Enum.GetValues<CareCategory>()
         from rhythm in Rhythms.All
         let these = owed.Where(o => o.Rhythm == rhythm && categoryAtEnd.TryGetValue(o.Pairing.ElderId, out var c) && c == category).ToList()
         select new CategoryRhythmKept(category, rhythm, these.Count, these.Count(o => o.Kept)))
        .ToList();

    private static List<ElderToFollowUp> EldersWithoutVisit(
        Ledger ledger, List<Elder> elders, Dictionary<Guid, CareCategory> categoryAtEnd, ILookup<Guid, ServiceRecorded> received, CareCadence cadence)
    {
        var visits = cadence.ServiceTypesFor(Rhythm.WeeklyVisit).ToHashSet(StringComparer.Ordinal);
        var quarter = ledger.Quarter;
        var pairedAtEnd = ledger.Pairings.Values
            .Where(p => p.StartedOn <= quarter.LastDay && (p.EndedOn == null || p.EndedOn > quarter.LastDay))
            .GroupBy(p => p.ElderId)
            .ToDictionary(g => g.Key, g => g.MaxBy(p => p.StartedOn)!.VolunteerId);
        return elders
            .Where(e => !received[e.Id].Any(s => visits.Contains(s.ServiceType)))
            .Select(e => new ElderToFollowUp(e.Id, null, categoryAtEnd[e.Id], e.Compound, e.GridWorkerId, pairedAtEnd.TryGetValue(e.Id, out var v) ? v : null))
            .OrderBy(e => e.Category).ThenBy(e => e.Compound, StringComparer.Ordinal).ThenBy(e => e.ElderId)
            .ToList();
    }

    private static List<TeamTotals> Teams(List<VolunteerSettlement> volunteers) =>
        volunteers.GroupBy(v => v.Team, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new TeamTotals(g.Key, g.Count(), g.Count(v => v.Services > 0), g.Sum(v => v.Services), g.Sum(v => v.MinutesServed), g.Sum(v => v.PointsAwarded)))
            .ToList();

    private static List<Commendation> Commendations(List<VolunteerSettlement> volunteers)
    {
        var ranked = volunteers.Where(v => v.PointsAwarded > 0 || v.MinutesServed > 0)
            .OrderByDescending(v => v.PointsAwarded).ThenByDescending(v => v.MinutesServed).ThenBy(v => v.VolunteerId)
            .ToList();
        return ranked
            .Select(v => new Commendation(1 + ranked.Count(o => (o.PointsAwarded, o.MinutesServed).CompareTo((v.PointsAwarded, v.MinutesServed)) > 0), v.VolunteerId, v.Name, v.Team, v.PointsAwarded, v.MinutesServed))
            .Where(c => c.Rank <= CommendationPlaces)
            .ToList();
    }

    private static List<AdjustmentLine> Adjustments(Ledger ledger) =>
        ledger.Awards.Values.OrderBy(a => a.VolunteerId)
            .SelectMany(a => a.Breakdown.Services.Where(l => l.Adjustment)
                .Select(l => new AdjustmentLine(a.VolunteerId, l.ServiceId, l.ServiceDay, l.ServiceQuarter, l.ServiceType, l.Minutes, l.Points, l.Reversal)))
            .ToList();

    private static List<MonthMinutes> MinutesByMonth(Quarter quarter, List<ServiceRecorded> standing) =>
        Enumerable.Range(0, 3)
            .Select(i => quarter.FirstDay.AddMonths(i))
            .Select(month =>
            {
                var these = standing.Where(s => s.ServiceDay.Year == month.Year && s.ServiceDay.Month == month.Month).ToList();
                return new MonthMinutes(month.Year, month.Month, these.Count, these.Sum(s => s.Minutes));
            })
            .ToList();

    /// <summary>Every type of the catalogue in its order, then any type a service of the quarter names that the catalogue no longer holds.</summary>
    private static List<ServiceTypeTotals> ServiceTypes(Community community, List<ServiceRecorded> standing)
    {
        var byType = standing.ToLookup(s => s.ServiceType, StringComparer.Ordinal);
        var catalogue = community.ServiceTypes.Select(t => (t.Code, t.ChineseName)).ToList();
        var others = byType.Select(g => g.Key).Where(code => catalogue.All(t => t.Code != code)).Order(StringComparer.Ordinal).Select(code => (Code: code, ChineseName: code));
        return [.. catalogue.Concat(others).Select(t => new ServiceTypeTotals(t.Code, t.ChineseName, byType[t.Code].Count(), byType[t.Code].Sum(s => s.Minutes)))];
    }

    private static List<PointsBand> PointsDistribution(Ledger ledger) =>
        PointsBands.Select(b => new PointsBand(b.From, b.To, ledger.Awards.Values.Count(a => a.Points >= b.From && (b.To is not { } to || a.Points <= to)))).ToList();

    /// <summary>Points and minutes that moved for one volunteer on days of the quarter.</summary>
    private sealed class Flows
    {
        public int Redeemed { get; set; }

        public int Restored { get; set; }

        public int Spent { get; set; }

        public int Given { get; set; }

        public int Received { get; set; }

        public int Expired { get; set; }

        public int PointsIn { get; set; }

        public int PointsOut { get; set; }

        public int MinutesIn { get; set; }

        public int MinutesOut { get; set; }
    }

    /// <summary>The state the fold keeps while it reads the log.</summary>
    private sealed class Ledger(Quarter quarter)
    {
        // A period ending in the quarter began at most two festival windows before its first day (as CadenceCounting reads).
        private readonly DateOnly _earliestCareDay = quarter.FirstDay.AddDays(-2 * CareCadence.MaxWindowDays);
        private readonly Dictionary<Guid, Station> _stationsAtStart = [];
        private readonly Dictionary<Guid, Station> _stationsAtEnd = [];
        private readonly Dictionary<(Guid Station, Guid Item), (int Added, int Restocked, int Redeemed, int Returned, int Released, int Points)> _itemFlows = [];

        public Quarter Quarter { get; } = quarter;

        public Community? Community { get; private set; }

        public DateTimeOffset? ClosedAt { get; private set; }

        public Dictionary<Guid, Volunteer> Volunteers { get; } = [];

        public Dictionary<Guid, Elder> Elders { get; } = [];

        public Dictionary<Guid, Pairing> Pairings { get; } = [];

        /// <summary>Services on days from the earliest a quarter's period can reach back to the quarter's end, by id.</summary>
        public Dictionary<Guid, ServiceRecorded> Services { get; } = [];

        public HashSet<Guid> Reversed { get; } = [];

        public HashSet<Guid> Confirmed { get; } = [];

        public HashSet<Guid> Disputed { get; } = [];

        public Dictionary<Guid, PointsAwarded> Awards { get; } = [];

        public Dictionary<Guid, Flows> Flows { get; } = [];

        /// <summary>Each account's balances as the quarter's books stand (see <see cref="BalanceChanges"/>).</summary>
        public Dictionary<Guid, QuarterBalances> Books { get; } = [];

        private CommunityCalendar? _calendar;

        /// <summary>The community's calendar, once it is registered (its time zone does not change).</summary>
        private CommunityCalendar Calendar => _calendar ??= Community!.Calendar;

        public IEnumerable<ServiceRecorded> QuarterServices => Services.Values.Where(s => Quarter.Contains(s.ServiceDay)).OrderBy(s => s.ServiceId);

        public void Take(LedgerEvent e)
        {
            var data = e.Data;
            if (Community.EventTypes.Contains(data.GetType())) Community = Domain.Communities.Community.Evolve(Community, data);
            if (Community is { } home && BalanceChanges.Of(data, Calendar, home.LastClosedQuarter) is { } change)
            {
                Books[change.AccountId] = Books.GetValueOrDefault(change.AccountId, QuarterBalances.None).With(change, Quarter);
            }
            if (data is VolunteerEnrolled or VolunteerTransferredIn || Volunteers.ContainsKey(e.StreamId))
            {
                if (Volunteer.Evolve(Volunteers.GetValueOrDefault(e.StreamId), data) is { } volunteer) Volunteers[e.StreamId] = volunteer;
            }

            if (data is ElderRegistered || Elders.ContainsKey(e.StreamId))
            {
                if (Elder.Evolve(Elders.GetValueOrDefault(e.StreamId), data) is { } elder) Elders[e.StreamId] = elder;
            }

            switch (data)
            {
                case ElderPaired or PairingEnded:
                    var pairingId = data is ElderPaired paired ? paired.PairingId : ((PairingEnded)data).PairingId;
                    if (Pairing.Evolve(Pairings.GetValueOrDefault(pairingId), data) is { } pairing) Pairings[pairingId] = pairing;
                    break;
                case ServiceRecorded recorded when recorded.ServiceDay >= _earliestCareDay && recorded.ServiceDay <= Quarter.LastDay:
                    Services[recorded.ServiceId] = recorded;
                    break;
                case ServiceReversed reversed:
                    Reversed.Add(reversed.ServiceId);
                    break;
                case ServiceConfirmed confirmed:
                    Confirmed.Add(confirmed.ServiceId);
                    break;
                case ServiceDisputed disputed:
                    Disputed.Add(disputed.ServiceId);
                    break;
                case PointsAwarded awarded when awarded.Quarter.Equals(Quarter):
                    Awards[awarded.VolunteerId] = awarded;
                    break;
                case QuarterClosed closed when closed.Quarter.Equals(Quarter):
                    ClosedAt = closed.ClosedAt;
                    break;
                case PointsRedeemed redeemed when InQuarter(redeemed.RedeemedAt):
                    FlowsOf(redeemed.VolunteerId).Redeemed += redeemed.Points;
                    break;
                case PointsRestored restored when InQuarter(restored.RestoredAt):
                    FlowsOf(restored.VolunteerId).Restored += restored.Points;
                    break;
                case TimeSavingsDelivered delivered when InQuarter(delivered.DeliveredAt):
                    FlowsOf(delivered.AccountId).Spent += delivered.MinutesSpent;
                    break;
                case MinutesGiven given when InQuarter(given.GivenAt):
                    FlowsOf(given.AccountId).Given += given.Minutes;
                    break;
                case MinutesReceived gift when InQuarter(gift.ReceivedAt):
                    FlowsOf(gift.AccountId).Received += gift.Minutes;
                    break;
                // Expired by this quarter's closing (appended with it, after the quarter's last day).
                case PointsExpired expired when expired.ClosedQuarter.Equals(Quarter):
                    FlowsOf(expired.VolunteerId).Expired += expired.Points;
                    break;
                case VolunteerTransferredOut moved when InQuarter(moved.TransferredAt):
                    FlowsOf(moved.VolunteerId).PointsOut += moved.Points;
                    FlowsOf(moved.VolunteerId).MinutesOut += moved.Minutes;
                    break;
                case VolunteerTransferredIn arrived when InQuarter(arrived.TransferredAt):
                    FlowsOf(arrived.VolunteerId).PointsIn += arrived.Points;
                    FlowsOf(arrived.VolunteerId).MinutesIn += arrived.Minutes;
                    break;
            }

            if (Station.EventTypes.Contains(data.GetType())) TakeStoreEvent(e.StreamId, data);
        }

        public List<StoreItemMovement> StoreMovements() =>
            _stationsAtEnd.Values.OrderBy(s => s.Id)
                .SelectMany(station => station.Items.Select(item =>
                {
                    var start = _stationsAtStart.GetValueOrDefault(station.Id)?.Item(item.ItemId)?.Stock ?? 0;
                    var f = _itemFlows.GetValueOrDefault((station.Id, item.ItemId));
                    return new StoreItemMovement(station.Id, station.Name, item.ItemId, item.Name, item.Unit, item.PricePoints,
                        start, f.Added, f.Restocked, f.Redeemed, f.Returned, f.Released, item.Stock, f.Points);
                }))
                .ToList();

        /// <summary>The store is counted by the days things happened at the counter: the stock on the quarter's first and last day.</summary>
        private void TakeStoreEvent(Guid stationId, object data)
        {
            var day = Calendar.DayOf(StoreEventTime(data));
            if (day < Quarter.FirstDay) Fold(_stationsAtStart, stationId, data);
            if (day > Quarter.LastDay) return;
            Fold(_stationsAtEnd, stationId, data);
            if (day < Quarter.FirstDay) return;

            void Count(Guid itemId, Func<(int Added, int Restocked, int Redeemed, int Returned, int Released, int Points), (int, int, int, int, int, int)> change) =>
                _itemFlows[(stationId, itemId)] = change(_itemFlows.GetValueOrDefault((stationId, itemId)));

            switch (data)
            {
                case StoreItemAdded added:
                    Count(added.ItemId, f => f with { Added = f.Added + added.Stock });
                    break;
                case StoreItemRestocked restocked:
                    Count(restocked.ItemId, f => f with { Restocked = f.Restocked + restocked.Quantity });
                    break;
                case StoreOrderPlaced placed:
                    foreach (var line in placed.Lines) Count(line.ItemId, f => f with { Redeemed = f.Redeemed + line.Quantity, Points = f.Points + line.Points });
                    break;
                case StoreOrderCancelled { Reason: OrderEndReason.Returned } returned:
                    foreach (var line in returned.Lines) Count(line.ItemId, f => f with { Returned = f.Returned + line.Quantity });
                    break;
                case StoreOrderCancelled released:
                    foreach (var line in released.Lines) Count(line.ItemId, f => f with { Released = f.Released + line.Quantity });
                    break;
            }
        }

        private static void Fold(Dictionary<Guid, Station> stations, Guid stationId, object data)
        {
            if (Station.Evolve(stations.GetValueOrDefault(stationId), data) is { } station) stations[stationId] = station;
        }

        private static DateTimeOffset StoreEventTime(object data) => data switch
        {
            StationOpened e => e.OpenedAt,
            StoreItemAdded e => e.AddedAt,
            StoreItemRepriced e => e.RepricedAt,
            StoreItemRestocked e => e.RestockedAt,
            StoreItemWithdrawn e => e.WithdrawnAt,
            StoreOrderPlaced e => e.PlacedAt,
            StoreOrderPickedUp e => e.PickedUpAt,
            StoreOrderCancelled e => e.CancelledAt,
            _ => throw new ArgumentException($"{data.GetType().Name} is not a store event.", nameof(data)),
        };

        private bool InQuarter(DateTimeOffset at) => Community is not null && Calendar.QuarterOf(at).Equals(Quarter);

        private Flows FlowsOf(Guid volunteerId) => Flows.TryGetValue(volunteerId, out var flows) ? flows : Flows[volunteerId] = new Flows();
    }
}
