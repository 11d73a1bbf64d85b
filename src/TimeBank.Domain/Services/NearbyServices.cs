namespace TimeBank.Domain.Services;

/// <summary>
/// What the rules read of a volunteer's other services to decide a new one: those whose time could overlap it,
/// and the minutes already banked on each community day near it. Both stay small however many services the
/// volunteer did, on that day or ever: a volunteer's services never overlap one another, so the last of them to
/// start before the new one ends is the only one that can overlap it if any does, and a day is one number.
/// </summary>
/// <param name="MayOverlap">Services, not reversed, that may overlap the new one; at least the last to start before it ends.</param>
/// <param name="BankedByDay">Minutes banked by the volunteer's services, not reversed, on each community day the new one may fall on.</param>
public sealed record NearbyServices(IReadOnlyList<ServiceRecord> MayOverlap, IReadOnlyDictionary<DateOnly, int> BankedByDay)
{
    public static readonly NearbyServices None = new([], new Dictionary<DateOnly, int>());

    /// <summary>From whole records, the days' sums made of them (the domain's tests give a few).</summary>
    public static NearbyServices Of(IEnumerable<ServiceRecord> services)
    {
        var recorded = services.Where(s => s.Status == ServiceStatus.Recorded).ToList();
        return new(recorded, recorded.GroupBy(s => s.ServiceDay).ToDictionary(g => g.Key, g => g.Sum(s => s.MinutesBanked)));
    }

    /// <summary>The first service, other than <paramref name="serviceId"/>, whose time overlaps [start, end).</summary>
    public ServiceRecord? Clash(Guid serviceId, DateTimeOffset start, DateTimeOffset end) =>
        MayOverlap.FirstOrDefault(s => s.Id != serviceId && s.Overlaps(start, end));

    public int BankedOn(DateOnly day) => BankedByDay.GetValueOrDefault(day);

    /// <summary>These and a service just decided (the next report of a batch is decided on both).</summary>
    public NearbyServices With(ServiceRecord service)
    {
        var banked = new Dictionary<DateOnly, int>(BankedByDay);
        banked[service.ServiceDay] = BankedOn(service.ServiceDay) + service.MinutesBanked;
        return new([.. MayOverlap, service], banked);
    }

    /// <summary>
    /// The community days a service starting at <paramref name="start"/> may fall on, before the community's time zone
    /// is known: a zone is between 12 hours behind and 14 hours ahead of UTC, so its day is the UTC day or one either side.
    /// </summary>
    public static IReadOnlyList<DateOnly> CandidateDays(DateTimeOffset start)
    {
        var utcDay = DateOnly.FromDateTime(start.UtcDateTime);
        return [utcDay.AddDays(-1), utcDay, utcDay.AddDays(1)];
    }
}
