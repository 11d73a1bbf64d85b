using TimeBank.Domain.Communities;
using TimeBank.Domain.Shared;

namespace TimeBank.Domain.TimeAccounts;

/// <summary>
/// The holder of a time account asked for a service for themself or a family member (时间储蓄兑换). The
/// minutes are held: still banked, no longer available, until the service is delivered, the request is
/// cancelled, or the hold expires. Appended to the account holder's stream. <paramref name="ProxyId"/> names
/// the family member or grid worker who asked on the holder's behalf, if one did.
/// </summary>
public sealed record TimeSavingsRequested(
    Guid RequestId,
    Guid AccountId,
    Guid BeneficiaryId,
    string ServiceType,
    int MinutesHeld,
    DateTimeOffset ExpiresAt,
    string RequestedBy,
    Guid? ProxyId,
    DateTimeOffset RequestedAt) : ITimeSavingsEvent;

/// <summary>The service was delivered: the delivered minutes are spent, the rest of the hold released.</summary>
public sealed record TimeSavingsDelivered(
    Guid RequestId,
    Guid AccountId,
    Guid ProviderVolunteerId,
    Guid ServiceId,
    int MinutesSpent,
    int MinutesReleased,
    DateTimeOffset DeliveredAt) : ITimeSavingsEvent;

/// <summary>The request was withdrawn; the held minutes are available again.</summary>
public sealed record TimeSavingsCancelled(Guid RequestId, Guid AccountId, int MinutesReleased, string CancelledBy, DateTimeOffset CancelledAt) : ITimeSavingsEvent;

/// <summary>Nobody delivered the service before the community's hold time ran out; the minutes are available again.</summary>
public sealed record TimeSavingsHoldExpired(Guid RequestId, Guid AccountId, int MinutesReleased, DateTimeOffset ExpiredAt) : ITimeSavingsEvent;

/// <summary>A volunteer gave banked minutes to a family member's account.</summary>
public sealed record MinutesGiven(Guid AccountId, Guid FamilyMemberId, int Minutes, string GivenBy, DateTimeOffset GivenAt);

/// <summary>A family member's account received minutes from a volunteer of the family.</summary>
public sealed record MinutesReceived(Guid AccountId, Guid FromVolunteerId, int Minutes, DateTimeOffset ReceivedAt);

/// <summary>An event about one time-savings request, named by its id.</summary>
public interface ITimeSavingsEvent
{
    Guid RequestId { get; }
}

public enum TimeSavingsStatus
{
    Open,
    Delivered,
    Cancelled,
    Expired,
}

/// <summary>One time-savings request as its events tell it.</summary>
public sealed record TimeSavingsRequest(
    Guid Id,
    Guid AccountId,
    Guid BeneficiaryId,
    string ServiceType,
    int MinutesHeld,
    DateTimeOffset ExpiresAt,
    TimeSavingsStatus Status,
    int MinutesSpent,
    Guid? ProviderVolunteerId,
    Guid? ServiceId)
{
    public static TimeSavingsRequest? Evolve(TimeSavingsRequest? state, object @event) => (state, @event) switch
    {
        (null, TimeSavingsRequested r) => new(r.RequestId, r.AccountId, r.BeneficiaryId, r.ServiceType, r.MinutesHeld, r.ExpiresAt, TimeSavingsStatus.Open, 0, null, null),
        ({ } s, TimeSavingsDelivered d) => s with { Status = TimeSavingsStatus.Delivered, MinutesSpent = d.MinutesSpent, ProviderVolunteerId = d.ProviderVolunteerId, ServiceId = d.ServiceId },
        ({ } s, TimeSavingsCancelled) => s with { Status = TimeSavingsStatus.Cancelled },
        ({ } s, TimeSavingsHoldExpired) => s with { Status = TimeSavingsStatus.Expired },
        _ => state,
    };

    /// <summary>Whether a delivery sent again is the one recorded: delivered under the same service id, by the same provider, for the same minutes.</summary>
    public bool IsDeliveredAs(Guid serviceId, Guid providerVolunteerId, int minutes) =>
        Status == TimeSavingsStatus.Delivered && ServiceId == serviceId && ProviderVolunteerId == providerVolunteerId && MinutesSpent == minutes;
}

/// <summary>Decides requests, deliveries, cancellations, expiries and gifts. None takes an account below zero.</summary>
public static class TimeSavings
{
    /// <param name="account">The account of the holder, as their stream stands.</param>
    /// <param name="beneficiaryIsFamily">Whether the beneficiary is the holder or a registered family member of theirs.</param>
    /// <param name="proxyIsEligible">When a proxy asks: whether the community approved them to act for the holder.</param>
    public static Decision<TimeSavingsRequested> Request(
        Guid requestId, Guid accountId, TimeAccount account, Guid beneficiaryId, bool beneficiaryIsFamily, string serviceType, int minutes,
        string by, Guid? proxyId, bool proxyIsEligible, Community community, TimeProvider clock)
    {
        if (proxyId is not null && !proxyIsEligible)
        {
            return Rejection.RuleBroken("not-an-approved-proxy", "proxyId", "Only a proxy the community approved for the account holder may ask on their behalf.");
        }

        if (community.FindServiceType(serviceType) is null)
        {
            return Rejection.RuleBroken("unknown-service-type", "serviceType", $"'{serviceType}' is not in the service catalogue.");
        }

        if (beneficiaryId != accountId && !beneficiaryIsFamily)
        {
            return Rejection.RuleBroken("beneficiary-not-family", "beneficiaryId", "A time-savings service is for the account holder or a registered family member of theirs.");
        }

        if (minutes > account.Available)
        {
            return Rejection.RuleBroken("insufficient-minutes", "minutes", $"Only {account.Available} minutes are available.");
        }

        var now = clock.GetUtcNow();
        return new TimeSavingsRequested(requestId, accountId, beneficiaryId, serviceType, minutes, now.AddHours(community.Rules.HoldExpiryHours), by, proxyId, now);
    }

    public static Decision<TimeSavingsDelivered> Deliver(TimeSavingsRequest? request, Guid providerVolunteerId, Guid serviceId, int minutes, TimeProvider clock)
    {
        if (Open(request) is { } closed) return closed;
        if (providerVolunteerId == request!.AccountId || providerVolunteerId == request.BeneficiaryId)
        {
            return Rejection.RuleBroken("provider-is-recipient", "providerVolunteerId", "A volunteer cannot deliver a time-savings service to themself.");
        }

        if (minutes > request.MinutesHeld)
        {
            return Rejection.RuleBroken("more-than-held", "minutes", $"The request holds {request.MinutesHeld} minutes.");
        }

        return new TimeSavingsDelivered(request.Id, request.AccountId, providerVolunteerId, serviceId, minutes, request.MinutesHeld - minutes, clock.GetUtcNow());
    }

    public static Decision<TimeSavingsCancelled> Cancel(TimeSavingsRequest? request, string by, TimeProvider clock) =>
        Open(request) is { } closed ? closed : new TimeSavingsCancelled(request!.Id, request.AccountId, request.MinutesHeld, by, clock.GetUtcNow());

    /// <summary>Releases the hold once its time has come; before that, or for a request no longer open, there is nothing to do.</summary>
    public static TimeSavingsHoldExpired? Expire(TimeSavingsRequest? request, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        return request is { Status: TimeSavingsStatus.Open } && now >= request.ExpiresAt
            ? new TimeSavingsHoldExpired(request.Id, request.AccountId, request.MinutesHeld, now)
            : null;
    }

    public static Decision<MinutesGiven> Give(
        Guid accountId, TimeAccount account, Guid familyMemberId, bool isFamily, int minutes, string by, Community community, TimeProvider clock)
    {
        if (!community.Rules.GiftsToFamilyAllowed) return Rejection.RuleBroken("gifts-not-allowed", "", "This community does not allow giving minutes to family members.");
        if (!isFamily) return Rejection.RuleBroken("not-family", "familyMemberId", "Minutes can be given only to a registered family member of the volunteer.");
        if (minutes > account.Available) return Rejection.RuleBroken("insufficient-minutes", "minutes", $"Only {account.Available} minutes are available.");
        return new MinutesGiven(accountId, familyMemberId, minutes, by, clock.GetUtcNow());
    }

    private static Rejection? Open(TimeSavingsRequest? request) => request switch
    {
        null => Rejection.NotFound("unknown-request", "requestId", "No time-savings request with this id in this community."),
        { Status: TimeSavingsStatus.Open } => null,
        _ => Rejection.Conflict("request-closed", "", $"The request is {request.Status.ToString().ToLowerInvariant()}."),
    };
}
