using TimeBank.Domain.Services;
using TimeBank.Domain.Volunteers;

namespace TimeBank.Domain.TimeAccounts;

/// <summary>
/// The minutes in a volunteer's time account (时间储蓄), all whole minutes. The balance is what they have
/// banked; what is on hold for a requested service is still in the balance but no longer available.
/// </summary>
public sealed record TimeAccount(int Deposited, int Reversed, int Spent, int Held, int Given, int Received, int TransferredIn = 0, int TransferredOut = 0)
{
    public static readonly TimeAccount Empty = new(0, 0, 0, 0, 0, 0);

    public int Balance => Deposited - Reversed - Spent - Given + Received + TransferredIn - TransferredOut;

    public int Available => Balance - Held;

    public TimeAccount Deposit(int minutes) => this with { Deposited = Deposited + minutes };

    public TimeAccount Reverse(int minutes) => this with { Reversed = Reversed + minutes };

    /// <summary>The event types that move minutes in any time account, a volunteer's or a family member's (services move a volunteer's too).</summary>
    public static readonly IReadOnlyList<Type> EventTypes =
    [
        typeof(TimeSavingsRequested), typeof(TimeSavingsDelivered), typeof(TimeSavingsCancelled), typeof(TimeSavingsHoldExpired),
        typeof(MinutesGiven), typeof(MinutesReceived), typeof(VolunteerTransferredOut), typeof(VolunteerTransferredIn),
    ];

    /// <summary>The account after an event that moves minutes; unchanged by any other event. The one place the account's arithmetic lives.</summary>
    public TimeAccount Apply(object @event) => @event switch
    {
        ServiceRecorded recorded => Deposit(recorded.MinutesBanked),
        ServiceReversed reversed => Reverse(reversed.MinutesReversed),
        TimeSavingsRequested requested => this with { Held = Held + requested.MinutesHeld },
        TimeSavingsDelivered delivered => this with { Held = Held - delivered.MinutesSpent - delivered.MinutesReleased, Spent = Spent + delivered.MinutesSpent },
        TimeSavingsCancelled cancelled => this with { Held = Held - cancelled.MinutesReleased },
        TimeSavingsHoldExpired expired => this with { Held = Held - expired.MinutesReleased },
        MinutesGiven given => this with { Given = Given + given.Minutes },
        MinutesReceived received => this with { Received = Received + received.Minutes },
        VolunteerTransferredOut moved => this with { TransferredOut = TransferredOut + moved.Minutes },
        VolunteerTransferredIn arrived => this with { TransferredIn = TransferredIn + arrived.Minutes },
        _ => this,
    };
}
