using TimeBank.Domain.Services;
using TimeBank.Domain.TimeAccounts;
using TimeBank.Domain.Volunteers;

namespace TimeBank.Domain.Tests.TimeAccounts;

public class StatementTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 2, 0, 0, TimeSpan.Zero);

    [Test]
    public void each_movement_is_a_line_with_the_balance_and_available_minutes_after_it()
    {
        var account = Guid.CreateVersion7();
        var visit = new ServiceRecorded(Guid.CreateVersion7(), account, [Guid.CreateVersion7()], "home-visit", At, 90, new DateOnly(2026, 11, 23), 90, "g", At);
        var call = visit with { ServiceId = Guid.CreateVersion7(), Minutes = 15, MinutesBanked = 15 };
        var request = Guid.CreateVersion7();
        AccountEvent[] events =
        [
            new(1, At, new VolunteerEnrolled(account, "arts", new DateOnly(2026, 1, 1), null, "g", At)),
            new(2, At, visit),
            new(3, At, call),
            new(4, At, new ServiceReversed(call.ServiceId, account, call.ElderIds, call.ServiceType, call.ServiceDay, 15, 15, ReversalReason.DuplicateRecord, "g", At)),
            new(5, At, new TimeSavingsRequested(request, account, account, "errands", 60, At.AddDays(3), "self", null, At)),
            new(6, At, new TimeSavingsDelivered(request, account, Guid.CreateVersion7(), Guid.CreateVersion7(), 45, 15, At)),
        ];

        var lines = Statement.Lines(TimeAccount.Empty, events).ToList();

        // deposit 90 -> 90; deposit 15 -> 105; reversal -15 -> 90; hold 60 (available 30); spend 45 and release 15 -> 45.
        Assert.That(lines.Select(l => (l.Version, l.Kind, l.BalanceChange, l.HeldChange, l.BalanceAfter, l.AvailableAfter)), Is.EqualTo(new[]
        {
            (2L, StatementEntryKind.Deposit, 90, 0, 90, 90),
            (3L, StatementEntryKind.Deposit, 15, 0, 105, 105),
            (4L, StatementEntryKind.Reversal, -15, 0, 90, 90),
            (5L, StatementEntryKind.Hold, 0, 60, 90, 30),
            (6L, StatementEntryKind.Spend, -45, -60, 45, 45),
        }));
    }
}
