namespace TimeBank.Domain.TimeAccounts;

/// <summary>
/// The minutes in a volunteer's time account (时间储蓄), all whole minutes. The balance is what they have
/// banked; what is on hold for a requested service is still in the balance but no longer available.
/// </summary>
public sealed record TimeAccount(int Deposited, int Reversed, int Spent, int Held, int Given, int Received)
{
    public static readonly TimeAccount Empty = new(0, 0, 0, 0, 0, 0);

    public int Balance => Deposited - Reversed - Spent - Given + Received;

    public int Available => Balance - Held;

    public TimeAccount Deposit(int minutes) => this with { Deposited = Deposited + minutes };

    public TimeAccount Reverse(int minutes) => this with { Reversed = Reversed + minutes };
}
