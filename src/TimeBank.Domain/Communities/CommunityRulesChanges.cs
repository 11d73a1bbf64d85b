using TimeBank.Domain.Services;
using TimeBank.Domain.Shared;

namespace TimeBank.Domain.Communities;

/// <summary>Decides changes to a community's rules and catalogue.</summary>
public static class CommunityRulesChanges
{
    public static Decision<TimeBankRulesSet> SetRules(Community community, TimeBankRules rules, string by, TimeProvider clock)
    {
        if (rules.NonEarningServiceTypes.FirstOrDefault(code => community.FindServiceType(code) is null) is { } unknown)
        {
            return Rejection.RuleBroken("unknown-service-type", "nonEarningServiceTypes", $"'{unknown}' is not in the community's service catalogue.");
        }

        return new TimeBankRulesSet(community.Id, rules, by, clock.GetUtcNow());
    }

    public static Decision<ServiceTypeAdded> AddServiceType(Community community, ServiceType type, string by, TimeProvider clock)
    {
        if (community.FindServiceType(type.Code) is not null)
        {
            return Rejection.Conflict("service-type-exists", "code", $"'{type.Code}' is already in the catalogue.");
        }

        if (type.MaxMinutes > ServiceCatalogue.AbsoluteMaxMinutes)
        {
            return Rejection.RuleBroken("minutes-over-cap", "maxMinutes", $"No service lasts more than {ServiceCatalogue.AbsoluteMaxMinutes} minutes.");
        }

        return new ServiceTypeAdded(community.Id, type, by, clock.GetUtcNow());
    }
}
