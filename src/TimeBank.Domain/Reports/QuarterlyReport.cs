using TimeBank.Domain.Care;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Elders;

namespace TimeBank.Domain.Reports;

/// <summary>
/// The quarterly settlement (季度结算) of one community: what its volunteers served and earned, how its elders
/// were cared for, what its store handed out, all read from the events of <see cref="Coverage"/> and nothing
/// else. Minutes and points are whole numbers; shares are whole percent rounded down. <see cref="TimeZone"/> is
/// the community's, in which its days and quarters are counted.
/// </summary>
public sealed record QuarterlyReport(
    string Community,
    string CommunityName,
    string? County,
    Quarter Quarter,
    DateTimeOffset ClosedAt,
    ReportCoverage Coverage,
    ReportTotals Totals,
    IReadOnlyList<VolunteerSettlement> Volunteers,
    IReadOnlyList<CategoryCare> ElderCategories,
    IReadOnlyList<RhythmKept> Cadence,
    IReadOnlyList<CategoryRhythmKept> CadenceByCategory,
    IReadOnlyList<ElderToFollowUp> EldersWithoutVisit,
    IReadOnlyList<StoreItemMovement> Store,
    IReadOnlyList<TeamTotals> Teams,
    IReadOnlyList<Commendation> Commendations,
    IReadOnlyList<AdjustmentLine> Adjustments,
    IReadOnlyList<MonthMinutes> MinutesByMonth,
    IReadOnlyList<PointsBand> PointsDistribution,
    IReadOnlyList<ServiceTypeTotals> ServiceTypes,
    string TimeZone)
{
    /// <summary>An instant of the report (the closing, the events' range) as the community's clock showed it, with its offset.</summary>
    public DateTimeOffset Local(DateTimeOffset instant) => CommunityCalendar.For(TimeZone).ToLocal(instant);

    /// <summary>
    /// The report with the names to print: a report is made and kept without them (names are personal data,
    /// erased with the person), and named as it is read.
    /// </summary>
    public QuarterlyReport Named(Func<Guid, string?> nameOf) => this with
    {
        Volunteers = [.. Volunteers.Select(v => v with { Name = nameOf(v.VolunteerId) })],
        EldersWithoutVisit = [.. EldersWithoutVisit.Select(e => e with
        {
            Name = nameOf(e.ElderId),
            GridWorkerName = e.GridWorkerId is { } g ? nameOf(g) : null,
            VolunteerName = e.VolunteerId is { } v ? nameOf(v) : null,
        })],
        Commendations = [.. Commendations.Select(c => c with { Name = nameOf(c.VolunteerId) })],
    };
}

/// <summary>
/// The events the report was read from: every event of the community up to and including the quarter's
/// closing, and a SHA-256 of them that anyone can recompute from the database (see the README).
/// </summary>
public sealed record ReportCoverage(long FirstSequence, long LastSequence, int Events, DateTimeOffset FirstAt, DateTimeOffset LastAt, string Digest);

/// <summary>The quarter's totals over the whole community.</summary>
public sealed record ReportTotals(
    int VolunteersEnrolled,
    int VolunteersServing,
    int EldersRegistered,
    int EldersServed,
    int Services,
    int MinutesServed,
    int ServicesConfirmed,
    int ServicesDisputed,
    int ServicesReversed,
    int PointsAwarded,
    int PointsRedeemed,
    int PointsRestored,
    int PointsExpired = 0,
    int PointsTransferredIn = 0,
    int PointsTransferredOut = 0)
{
    public static readonly ReportTotals Zero = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public ReportTotals Plus(ReportTotals o) => new(
        VolunteersEnrolled + o.VolunteersEnrolled, VolunteersServing + o.VolunteersServing, EldersRegistered + o.EldersRegistered, EldersServed + o.EldersServed,
        Services + o.Services, MinutesServed + o.MinutesServed, ServicesConfirmed + o.ServicesConfirmed, ServicesDisputed + o.ServicesDisputed,
        ServicesReversed + o.ServicesReversed, PointsAwarded + o.PointsAwarded, PointsRedeemed + o.PointsRedeemed, PointsRestored + o.PointsRestored,
        PointsExpired + o.PointsExpired, PointsTransferredIn + o.PointsTransferredIn, PointsTransferredOut + o.PointsTransferredOut);
}

/// <summary>
/// One volunteer's quarter. Services are those done on a day of the quarter and recorded by the closing;
/// a reversed one counts among <see cref="Reversed"/> and not in the minutes. Points expired are those the
/// quarter's closing expired; transfers count the minutes and points that left for, or came from, another
/// community on days of the quarter. Two kinds of balance: <see cref="PointsBalance"/> and <see cref="MinutesBalance"/>
/// as they stood at the closing moment (the quarter's award and expiry in, and whatever happened between the
/// quarter's last day and the closing); and the quarter's books (<see cref="QuarterBalances"/>), where
/// <c>PointsBroughtForward + PointsAwarded - PointsRedeemed + PointsRestored - PointsExpired + PointsTransferredIn
/// - PointsTransferredOut = PointsCarriedForward</c> and <c>MinutesBroughtForward + MinutesBanked - TimeSavingsSpent
/// - MinutesGiven + MinutesReceived + MinutesTransferredIn - MinutesTransferredOut = MinutesCarriedForward</c>.
/// </summary>
public sealed record VolunteerSettlement(
    Guid VolunteerId,
    string? Name,
    string Team,
    IReadOnlyList<ServiceTypeMinutes> MinutesByServiceType,
    int Services,
    int MinutesServed,
    int Confirmed,
    int Disputed,
    int Reversed,
    int PointsAwarded,
    int ServicePoints,
    int BonusPoints,
    int CutByCap,
    int AdjustmentPoints,
    int Unrecovered,
    int PointsRedeemed,
    int PointsRestored,
    int PointsBalance,
    int MinutesBalance,
    int TimeSavingsSpent,
    int MinutesGiven,
    int MinutesReceived,
    int PointsExpired = 0,
    int PointsTransferredIn = 0,
    int PointsTransferredOut = 0,
    int MinutesTransferredIn = 0,
    int MinutesTransferredOut = 0,
    int PointsBroughtForward = 0,
    int PointsCarriedForward = 0,
    int MinutesBroughtForward = 0,
    int MinutesBanked = 0,
    int MinutesCarriedForward = 0);

public sealed record ServiceTypeMinutes(string ServiceType, int Services, int Minutes);

/// <summary>The elders of one care category (as they stood on the quarter's last day) and the care they received.</summary>
public sealed record CategoryCare(CareCategory Category, int Elders, int EldersServed, int ServicesReceived, int MinutesReceived);

/// <summary>
/// How one of the six ones was kept: of the pairings that owed it in the quarter, how many kept every period;
/// and of the periods owed, how many were kept.
/// </summary>
public sealed record RhythmKept(Rhythm Rhythm, int PairingsOwing, int PairingsKeepingAll, int PeriodsOwed, int PeriodsKept)
{
    public int? PercentOfPairings => CadenceCompliance.PercentKept(PairingsOwing, PairingsKeepingAll);

    public int? PercentOfPeriods => CadenceCompliance.PercentKept(PeriodsOwed, PeriodsKept);
}

/// <summary>The share of periods kept, for one care category and rhythm.</summary>
public sealed record CategoryRhythmKept(CareCategory Category, Rhythm Rhythm, int PeriodsOwed, int PeriodsKept)
{
    public int? PercentKept => CadenceCompliance.PercentKept(PeriodsOwed, PeriodsKept);
}

/// <summary>An elder who had no home visit in the quarter, for the grid worker to follow up (names put in as the report is read).</summary>
public sealed record ElderToFollowUp(
    Guid ElderId, string? Name, CareCategory Category, string? Compound, Guid? GridWorkerId, Guid? VolunteerId, string? GridWorkerName = null, string? VolunteerName = null);

/// <summary>
/// One type of the community's catalogue (as it stood at the closing) with its Chinese name, and the services of
/// it that stand in the quarter: reports print the name, CSV and JSON carry the code too.
/// </summary>
public sealed record ServiceTypeTotals(string ServiceType, string ChineseName, int Services, int Minutes);

/// <summary>One item of one station over the quarter: <c>StockAtEnd = StockAtStart + Added + Restocked - Redeemed + Returned + Released</c>.</summary>
public sealed record StoreItemMovement(
    Guid StationId,
    string Station,
    Guid ItemId,
    string Item,
    string Unit,
    int PricePoints,
    int StockAtStart,
    int Added,
    int Restocked,
    int Redeemed,
    int Returned,
    int Released,
    int StockAtEnd,
    int PointsRedeemed);

public sealed record TeamTotals(string Team, int Volunteers, int VolunteersServing, int Services, int MinutesServed, int PointsAwarded);

/// <summary>A place on the commendation list (表彰): by points awarded, then minutes served; equal ones share a rank.</summary>
public sealed record Commendation(int Rank, Guid VolunteerId, string? Name, string Team, int PointsAwarded, int MinutesServed);

/// <summary>A service of an earlier quarter recorded or reversed after that quarter closed, counted in this award.</summary>
public sealed record AdjustmentLine(Guid VolunteerId, Guid ServiceId, DateOnly ServiceDay, Quarter ServiceQuarter, string ServiceType, int Minutes, int Points, bool Reversal);

public sealed record MonthMinutes(int Year, int Month, int Services, int Minutes);

/// <summary>How many volunteers' awards fell from <see cref="From"/> to <see cref="To"/> points (no upper end when null).</summary>
public sealed record PointsBand(int From, int? To, int Volunteers);

/// <summary>
/// A county's quarter: the report of each of its communities, whole, and their totals added up. Every
/// community's report keeps its own event range and digest, since each community has its own log.
/// </summary>
public sealed record CountyReport(string County, Quarter Quarter, ReportTotals Totals, IReadOnlyList<QuarterlyReport> Communities)
{
    public static CountyReport Of(string county, Quarter quarter, IReadOnlyList<QuarterlyReport> communities) =>
        new(county, quarter, communities.Select(c => c.Totals).Aggregate(ReportTotals.Zero, (sum, t) => sum.Plus(t)), communities);
}
