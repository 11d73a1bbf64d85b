using TimeBank.Domain.Services;

namespace TimeBank.Domain.Care;

/// <summary>
/// The services one elder received on one day, counted by type (reversed ones taken out): what the six ones
/// are checked against. A group activity makes one for each elder present.
/// </summary>
public sealed record CareDay(string Id, Guid ElderId, DateOnly Day, IReadOnlyDictionary<string, int> ServiceTypes)
{
    public static string IdOf(Guid elderId, DateOnly day) => $"{elderId:N}:{day:yyyy-MM-dd}";

    public static IEnumerable<string> IdsOf(IEnumerable<Guid> elderIds, DateOnly day) => elderIds.Select(e => IdOf(e, day));

    /// <summary>Folds a service event into the day; null once nothing is left (the day is then forgotten).</summary>
    public static CareDay? Evolve(CareDay? state, string id, object @event) => @event switch
    {
        ServiceRecorded r => Count(state ?? Started(id), r.ServiceType, 1),
        ServiceReversed r => Count(state ?? Started(id), r.ServiceType, -1),
        _ => state,
    };

    private static CareDay Started(string id)
    {
        var separator = id.IndexOf(':', StringComparison.Ordinal);
        return new CareDay(id, Guid.ParseExact(id[..separator], "N"), DateOnly.ParseExact(id[(separator + 1)..], "yyyy-MM-dd"), new Dictionary<string, int>());
    }

    private static CareDay? Count(CareDay day, string serviceType, int change)
    {
        var counts = new Dictionary<string, int>(day.ServiceTypes, StringComparer.Ordinal);
        var count = counts.GetValueOrDefault(serviceType) + change;
        if (count > 0) counts[serviceType] = count;
        else counts.Remove(serviceType);
        return counts.Count == 0 ? null : day with { ServiceTypes = counts };
    }
}
