namespace TimeBank.Domain.Care;

/// <summary>
/// Which kinds of service an elder received on which days (reversed services taken out). Built from the
/// days of a range, or only from the last day of each service type: either answers "when last" exactly.
/// </summary>
public sealed class CareReceived
{
    private readonly Dictionary<string, SortedSet<DateOnly>> _daysByServiceType = new(StringComparer.Ordinal);

    public CareReceived(IEnumerable<(DateOnly Day, string ServiceType)> received)
    {
        foreach (var (day, serviceType) in received)
        {
            if (!_daysByServiceType.TryGetValue(serviceType, out var days)) _daysByServiceType[serviceType] = days = [];
            days.Add(day);
        }
    }

    public static CareReceived Nothing { get; } = new([]);

    /// <summary>The last day on or before <paramref name="onOrBefore"/> with a service of one of the types.</summary>
    public DateOnly? LastDay(IEnumerable<string> serviceTypes, DateOnly onOrBefore)
    {
        DateOnly? last = null;
        foreach (var type in serviceTypes)
        {
            if (!_daysByServiceType.TryGetValue(type, out var days)) continue;
            var view = days.GetViewBetween(DateOnly.MinValue, onOrBefore);
            if (view.Count > 0 && (last is null || view.Max > last)) last = view.Max;
        }

        return last;
    }

    /// <summary>Whether a service of one of the types was received on a day from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public bool Any(IEnumerable<string> serviceTypes, DateOnly from, DateOnly to) =>
        to >= from && serviceTypes.Any(type => _daysByServiceType.TryGetValue(type, out var days) && days.GetViewBetween(from, to).Count > 0);
}
