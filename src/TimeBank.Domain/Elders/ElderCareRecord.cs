using TimeBank.Domain.Communities;
using TimeBank.Domain.Services;
using TimeBank.Domain.Shared;

namespace TimeBank.Domain.Elders;

/// <summary>Services an elder received of one type in one month (of the community's calendar).</summary>
public sealed record MonthlyServices(string Month, string ServiceType, int Services, int Minutes);

/// <summary>
/// What an elder has received: services by type and month, totals, the latest service. Gathered from the
/// service events of every volunteer who served them (a group activity counts for each elder present).
/// </summary>
public sealed record ElderCareRecord(
    Guid Id,
    int ServicesReceived,
    int MinutesReceived,
    DateTimeOffset? LastServiceAt,
    IReadOnlyList<MonthlyServices> ByMonthAndType)
{
    public static ElderCareRecord Empty(Guid elderId) => new(elderId, 0, 0, null, []);

    public static ElderCareRecord Evolve(ElderCareRecord? state, Guid elderId, object @event)
    {
        var record = state ?? Empty(elderId);
        return @event switch
        {
            ServiceRecorded r => record.Count(r.ServiceDay, r.ServiceType, 1, r.Minutes) with
            {
                LastServiceAt = record.LastServiceAt is { } last && last > r.StartedAt ? last : r.StartedAt,
            },
            ServiceReversed r => record.Count(r.ServiceDay, r.ServiceType, -1, -r.Minutes),
            _ => record,
        };
    }

    private ElderCareRecord Count(DateOnly day, string type, int services, int minutes)
    {
        var month = CommunityCalendar.MonthOf(day);
        var lines = SortedLines.Change(
            ByMonthAndType,
            l => string.CompareOrdinal(l.Month, month) is var byMonth and not 0 ? byMonth : string.CompareOrdinal(l.ServiceType, type),
            l => l is null ? new MonthlyServices(month, type, services, minutes) : l with { Services = l.Services + services, Minutes = l.Minutes + minutes });
        return this with { ServicesReceived = ServicesReceived + services, MinutesReceived = MinutesReceived + minutes, ByMonthAndType = lines };
    }
}
