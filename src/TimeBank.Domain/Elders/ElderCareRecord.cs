using TimeBank.Domain.Communities;
using TimeBank.Domain.Services;

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
        var line = ByMonthAndType.FirstOrDefault(l => l.Month == month && l.ServiceType == type) ?? new MonthlyServices(month, type, 0, 0);
        var updated = line with { Services = line.Services + services, Minutes = line.Minutes + minutes };
        var lines = ByMonthAndType.Where(l => l != line).Append(updated).OrderBy(l => l.Month, StringComparer.Ordinal).ThenBy(l => l.ServiceType, StringComparer.Ordinal).ToList();
        return this with { ServicesReceived = ServicesReceived + services, MinutesReceived = MinutesReceived + minutes, ByMonthAndType = lines };
    }
}
