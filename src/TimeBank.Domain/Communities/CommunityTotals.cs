using TimeBank.Domain.Elders;
using TimeBank.Domain.Pairings;
using TimeBank.Domain.Services;
using TimeBank.Domain.Shared;
using TimeBank.Domain.Volunteers;

namespace TimeBank.Domain.Communities;

/// <summary>Minutes banked and services recorded in one month of the community's calendar.</summary>
public sealed record MonthlyMinutes(string Month, int Services, int MinutesBanked);

/// <summary>
/// A community's totals: volunteers, elders by care category, active pairings, minutes by month. One per
/// community, gathered from every stream of it.
/// </summary>
public sealed record CommunityTotals(
    string Id,
    int VolunteersJoined,
    int VolunteersLeft,
    int Comfortable,
    int LivingAlone,
    int Disabled,
    int Poor,
    int ActivePairings,
    IReadOnlyList<MonthlyMinutes> ByMonth)
{
    /// <summary>The one document of totals in each community (the community is the tenant).</summary>
    public const string DocumentId = "totals";

    /// <summary>The events the totals read.</summary>
    public static readonly IReadOnlyList<Type> EventTypes =
    [
        typeof(VolunteerEnrolled), typeof(VolunteerLeft), typeof(VolunteerTransferredIn), typeof(VolunteerTransferredOut),
        typeof(ElderRegistered), typeof(ElderCareCategoryChanged), typeof(ElderPaired), typeof(PairingEnded),
        typeof(ServiceRecorded), typeof(ServiceReversed),
    ];

    public static readonly CommunityTotals Empty = new(DocumentId, 0, 0, 0, 0, 0, 0, 0, []);

    public int Volunteers => VolunteersJoined - VolunteersLeft;

    public int Elders => Comfortable + LivingAlone + Disabled + Poor;

    public static CommunityTotals Evolve(CommunityTotals? state, object @event)
    {
        var t = state ?? Empty;
        return @event switch
        {
            VolunteerEnrolled or VolunteerTransferredIn => t with { VolunteersJoined = t.VolunteersJoined + 1 },
            VolunteerLeft or VolunteerTransferredOut => t with { VolunteersLeft = t.VolunteersLeft + 1 },
            ElderRegistered r => t.InCategory(r.Category, +1),
            ElderCareCategoryChanged c => t.InCategory(c.From, -1).InCategory(c.To, +1),
            ElderPaired => t with { ActivePairings = t.ActivePairings + 1 },
            PairingEnded => t with { ActivePairings = t.ActivePairings - 1 },
            ServiceRecorded r => t.InMonth(r.ServiceDay, 1, r.MinutesBanked),
            ServiceReversed r => t.InMonth(r.ServiceDay, -1, -r.MinutesReversed),
            _ => t,
        };
    }

    /// <summary>Minutes banked in the quarter: the sum of its three months.</summary>
    public int MinutesIn(Quarter quarter) =>
        Enumerable.Range(0, 3).Sum(i => MinutesInMonthOf(quarter.FirstDay.AddMonths(i)));

    /// <summary>Minutes banked in the month of <paramref name="day"/>.</summary>
    public int MinutesInMonthOf(DateOnly day) => ByMonth.FirstOrDefault(m => m.Month == CommunityCalendar.MonthOf(day))?.MinutesBanked ?? 0;

    private CommunityTotals InCategory(CareCategory category, int change) => category switch
    {
        CareCategory.Comfortable => this with { Comfortable = Comfortable + change },
        CareCategory.LivingAlone => this with { LivingAlone = LivingAlone + change },
        CareCategory.Disabled => this with { Disabled = Disabled + change },
        _ => this with { Poor = Poor + change },
    };

    private CommunityTotals InMonth(DateOnly day, int services, int minutes)
    {
        var month = CommunityCalendar.MonthOf(day);
        return this with
        {
            ByMonth = SortedLines.Change(
                ByMonth,
                m => string.CompareOrdinal(m.Month, month),
                m => m is null ? new MonthlyMinutes(month, services, minutes) : m with { Services = m.Services + services, MinutesBanked = m.MinutesBanked + minutes }),
        };
    }
}
