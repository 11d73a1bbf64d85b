using Microsoft.Extensions.Time.Testing;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Services;

namespace TimeBank.Domain.Tests.Communities;

public class TimeBankRulesTests
{
    [TestCase(null, null, 0, 0, 90, 90)]
    [TestCase(120, null, 100, 0, 90, 20)]
    [TestCase(120, null, 120, 0, 90, 0)]
    [TestCase(null, 45_000, 0, 44_990, 90, 10)]
    [TestCase(120, 45_000, 60, 44_990, 90, 10)]
    [TestCase(null, 45_000, 0, 45_000, 90, 0)]
    public void minutes_over_a_cap_are_not_banked(int? dailyCap, int? accountCap, int bankedThatDay, int balance, int minutes, int banked)
    {
        var rules = TimeBankRules.Default with { DailyBankedMinutesCap = dailyCap, MaxBankedMinutes = accountCap };
        Assert.That(rules.MinutesToBank("home-visit", minutes, bankedThatDay, balance), Is.EqualTo(banked));
    }

    [Test]
    public void rules_may_name_only_service_types_of_the_catalogue_and_a_type_is_added_once()
    {
        var clock = new FakeTimeProvider();
        var community = Community.Started(new CommunityRegistered(Guid.NewGuid(), "minle", "民乐社区", "Asia/Shanghai", "office-01", clock.GetUtcNow()));

        var unknown = CommunityRulesChanges.SetRules(community, TimeBankRules.Default with { NonEarningServiceTypes = ["spouse-care"] }, "office-01", clock);
        Assert.That((unknown.Rejection!.Code, unknown.Rejection.Field), Is.EqualTo(("unknown-service-type", "nonEarningServiceTypes")));

        var added = CommunityRulesChanges.AddServiceType(community, new ServiceType("spouse-care", "照顾配偶", 240, EarnsMinutes: false), "office-01", clock).Event!;
        var withType = Community.Evolve(community, added)!;
        Assert.That(CommunityRulesChanges.SetRules(withType, TimeBankRules.Default with { NonEarningServiceTypes = ["spouse-care"] }, "office-01", clock).IsAccepted, Is.True);
        Assert.That(CommunityRulesChanges.AddServiceType(withType, added.Type, "office-01", clock).Rejection!.Code, Is.EqualTo("service-type-exists"));
        Assert.That(CommunityRulesChanges.AddServiceType(withType, new ServiceType("home-visit", "上门", 60), "office-01", clock).Rejection!.Code, Is.EqualTo("service-type-exists"));
    }
}
