using TimeBank.Domain.Services;
using TimeBank.Domain.Volunteers;

namespace TimeBank.Domain.TimeAccounts;

public enum StatementEntryKind
{
    Deposit,
    Reversal,
    Hold,
    Spend,
    Release,
    GiftGiven,
    GiftReceived,
    TransferredOut,
    TransferredIn,
}

/// <summary>
/// One line of a bank-style statement: what happened to the account at one version of its stream, by how
/// much the balance and the held minutes moved, and where both stood afterwards.
/// </summary>
/// <param name="Reference">The service or time-savings request the line is about; the family member or volunteer of a gift.</param>
public sealed record StatementLine(
    long Version,
    DateTimeOffset At,
    StatementEntryKind Kind,
    int BalanceChange,
    int HeldChange,
    int BalanceAfter,
    int AvailableAfter,
    Guid? Reference);

/// <summary>An event of an account's stream, with its version and when it was appended.</summary>
public sealed record AccountEvent(long Version, DateTimeOffset At, object Data);

public static class Statement
{
    /// <summary>The statement lines of the events, in order, starting from the account as it stood before them.</summary>
    public static IEnumerable<StatementLine> Lines(TimeAccount opening, IEnumerable<AccountEvent> events)
    {
        var account = opening;
        foreach (var e in events)
        {
            var after = account.Apply(e.Data);
            if (KindOf(e.Data) is { } entry)
            {
                yield return new StatementLine(
                    e.Version, e.At, entry.Kind, after.Balance - account.Balance, after.Held - account.Held, after.Balance, after.Available, entry.Reference);
            }

            account = after;
        }
    }

    private static (StatementEntryKind Kind, Guid? Reference)? KindOf(object @event) => @event switch
    {
        ServiceRecorded r => (StatementEntryKind.Deposit, r.ServiceId),
        ServiceReversed r => (StatementEntryKind.Reversal, r.ServiceId),
        TimeSavingsRequested r => (StatementEntryKind.Hold, r.RequestId),
        TimeSavingsDelivered r => (StatementEntryKind.Spend, r.RequestId),
        TimeSavingsCancelled r => (StatementEntryKind.Release, r.RequestId),
        TimeSavingsHoldExpired r => (StatementEntryKind.Release, r.RequestId),
        MinutesGiven r => (StatementEntryKind.GiftGiven, r.FamilyMemberId),
        MinutesReceived r => (StatementEntryKind.GiftReceived, r.FromVolunteerId),
        VolunteerTransferredOut r => (StatementEntryKind.TransferredOut, r.NewVolunteerId),
        VolunteerTransferredIn r => (StatementEntryKind.TransferredIn, r.FromVolunteerId),
        _ => null,
    };
}
