using Microsoft.Extensions.Time.Testing;
using TimeBank.Domain.Communities;
using TimeBank.Domain.TimeAccounts;

namespace TimeBank.Domain.Tests.TimeAccounts;

public class TimeSavingsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 2, 0, 0, TimeSpan.Zero);
    // NUnit keeps one instance per fixture: a clock a test moves must be made anew for each test.
    private FakeTimeProvider _clock = null!;
    private readonly Guid _account = Guid.CreateVersion7();
    private readonly Community _community = Community.Started(new CommunityRegistered(Guid.NewGuid(), "minle", "民乐社区", "Asia/Shanghai", "office-01", Now));

    // 300 banked, 60 of them reversed later: 240 in the balance.
    private static readonly TimeAccount Banked = TimeAccount.Empty.Deposit(300).Reverse(60);

    [SetUp]
    public void StartTheClock() => _clock = new FakeTimeProvider(Now);

    [Test]
    public void a_request_holds_its_minutes_until_delivery_spends_part_and_releases_the_rest()
    {
        var requested = TimeSavings.Request(Guid.CreateVersion7(), _account, Banked, _account, false, "cleaning-laundry", 120, "self", null, false, _community, _clock).Event!;
        var held = Banked.Apply(requested);
        Assert.That((held.Balance, held.Held, held.Available), Is.EqualTo((240, 120, 120)));
        Assert.That(requested.ExpiresAt, Is.EqualTo(Now.AddHours(72)), "the default hold of 72 hours");

        var request = TimeSavingsRequest.Evolve(null, requested);
        var delivered = TimeSavings.Deliver(request, Guid.CreateVersion7(), Guid.CreateVersion7(), 90, _clock).Event!;
        var after = held.Apply(delivered);

        // 90 of the 120 held are spent, 30 come back.
        Assert.That((delivered.MinutesSpent, delivered.MinutesReleased), Is.EqualTo((90, 30)));
        Assert.That((after.Spent, after.Held, after.Balance, after.Available), Is.EqualTo((90, 0, 150, 150)));
    }

    [Test]
    public void no_request_holds_more_than_is_available()
    {
        var first = TimeSavings.Request(Guid.CreateVersion7(), _account, Banked, _account, false, "errands", 200, "self", null, false, _community, _clock).Event!;
        var afterFirst = Banked.Apply(first);

        var second = TimeSavings.Request(Guid.CreateVersion7(), _account, afterFirst, _account, false, "errands", 41, "self", null, false, _community, _clock);

        Assert.That((second.Rejection!.Code, second.Rejection.Field), Is.EqualTo(("insufficient-minutes", "minutes")));
        Assert.That(TimeSavings.Request(Guid.CreateVersion7(), _account, afterFirst, _account, false, "errands", 40, "self", null, false, _community, _clock).IsAccepted, Is.True);
    }

    [Test]
    public void a_hold_expires_only_when_its_time_has_come_and_only_while_open()
    {
        var requested = TimeSavings.Request(Guid.CreateVersion7(), _account, Banked, _account, false, "errands", 60, "self", null, false, _community, _clock).Event!;
        var request = TimeSavingsRequest.Evolve(null, requested);

        Assert.That(TimeSavings.Expire(request, _clock), Is.Null);
        _clock.Advance(TimeSpan.FromHours(72));
        var expired = TimeSavings.Expire(request, _clock)!;
        Assert.That(expired.MinutesReleased, Is.EqualTo(60));
        Assert.That(Banked.Apply(requested).Apply(expired).Available, Is.EqualTo(240));

        var cancelled = TimeSavingsRequest.Evolve(request, TimeSavings.Cancel(request, "self", _clock).Event!);
        Assert.That(TimeSavings.Expire(cancelled, _clock), Is.Null);
        Assert.That(TimeSavings.Cancel(cancelled, "self", _clock).Rejection!.Code, Is.EqualTo("request-closed"));
    }

    [Test]
    public void a_service_is_for_the_holder_or_their_family_and_not_delivered_by_its_recipient()
    {
        var stranger = Guid.CreateVersion7();
        Assert.That(TimeSavings.Request(Guid.CreateVersion7(), _account, Banked, stranger, false, "errands", 10, "self", null, false, _community, _clock).Rejection!.Code, Is.EqualTo("beneficiary-not-family"));

        var requested = TimeSavings.Request(Guid.CreateVersion7(), _account, Banked, stranger, true, "errands", 60, "self", null, false, _community, _clock).Event!;
        var request = TimeSavingsRequest.Evolve(null, requested);
        Assert.That(TimeSavings.Deliver(request, _account, Guid.CreateVersion7(), 30, _clock).Rejection!.Code, Is.EqualTo("provider-is-recipient"));
        Assert.That(TimeSavings.Deliver(request, Guid.CreateVersion7(), Guid.CreateVersion7(), 61, _clock).Rejection!.Code, Is.EqualTo("more-than-held"));
    }

    [Test]
    public void a_proxy_may_ask_only_if_eligible_and_the_request_records_who_asked()
    {
        var proxy = Guid.CreateVersion7();
        var refused = TimeSavings.Request(Guid.CreateVersion7(), _account, Banked, _account, false, "errands", 30, "grid-01", proxy, false, _community, _clock);
        var accepted = TimeSavings.Request(Guid.CreateVersion7(), _account, Banked, _account, false, "errands", 30, "grid-01", proxy, true, _community, _clock);

        Assert.That((refused.Rejection!.Code, refused.Rejection.Field), Is.EqualTo(("not-an-approved-proxy", "proxyId")));
        Assert.That(accepted.Event!.ProxyId, Is.EqualTo(proxy));
    }

    [Test]
    public void gifts_need_the_communitys_permission_a_family_member_and_available_minutes()
    {
        var family = Guid.CreateVersion7();
        Assert.That(TimeSavings.Give(_account, Banked, family, true, 60, "self", _community, _clock).Rejection!.Code, Is.EqualTo("gifts-not-allowed"));

        var generous = _community with { Rules = TimeBankRules.Default with { GiftsToFamilyAllowed = true } };
        Assert.That(TimeSavings.Give(_account, Banked, family, false, 60, "self", generous, _clock).Rejection!.Code, Is.EqualTo("not-family"));
        Assert.That(TimeSavings.Give(_account, Banked, family, true, 241, "self", generous, _clock).Rejection!.Code, Is.EqualTo("insufficient-minutes"));

        var given = TimeSavings.Give(_account, Banked, family, true, 240, "self", generous, _clock).Event!;
        Assert.That(Banked.Apply(given).Balance, Is.Zero);
        Assert.That(TimeAccount.Empty.Apply(new MinutesReceived(family, _account, 240, Now)).Available, Is.EqualTo(240));
    }

    [Test]
    public void a_delivery_sent_again_is_the_recorded_one_only_under_the_same_service_provider_and_minutes()
    {
        var request = TimeSavingsRequest.Evolve(null,
            TimeSavings.Request(Guid.CreateVersion7(), _account, Banked, _account, false, "cleaning-laundry", 120, "self", null, false, _community, _clock).Event!)!;
        Guid provider = Guid.CreateVersion7(), service = Guid.CreateVersion7();
        var delivered = TimeSavingsRequest.Evolve(request, TimeSavings.Deliver(request, provider, service, 90, _clock).Event!)!;

        Assert.That(request.IsDeliveredAs(service, provider, 90), Is.False, "an open request is delivered by nobody yet");
        Assert.That(delivered.IsDeliveredAs(service, provider, 90), Is.True);
        Assert.That(delivered.IsDeliveredAs(Guid.CreateVersion7(), provider, 90), Is.False);
        Assert.That(delivered.IsDeliveredAs(service, Guid.CreateVersion7(), 90), Is.False);
        Assert.That(delivered.IsDeliveredAs(service, provider, 60), Is.False);
    }
}
