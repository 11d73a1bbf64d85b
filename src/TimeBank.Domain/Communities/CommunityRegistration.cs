using TimeBank.Domain.Shared;

namespace TimeBank.Domain.Communities;

/// <summary>Decides whether a community can be registered under a code.</summary>
public static class CommunityRegistration
{
    public static Decision<CommunityRegistered> Decide(
        string code, string name, string? timeZoneId, string? county, string registeredBy, Community? existing, TimeProvider clock)
    {
        if (existing is not null)
        {
            return Rejection.Conflict("community-exists", "code", $"A community with code '{code}' is already registered.");
        }

        var zone = string.IsNullOrWhiteSpace(timeZoneId) ? CommunityCalendar.DefaultTimeZoneId : timeZoneId;
        if (!CommunityCalendar.IsKnownTimeZone(zone))
        {
            return Rejection.RuleBroken("unknown-time-zone", "timeZone", $"'{zone}' is not a known IANA time zone.");
        }

        return new CommunityRegistered(CommunityCode.StreamId(code), code, name, zone, registeredBy, clock.GetUtcNow(), county);
    }
}
