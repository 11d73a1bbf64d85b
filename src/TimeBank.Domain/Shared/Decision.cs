namespace TimeBank.Domain.Shared;

/// <summary>
/// The outcome of a decider: either the event to append, or the rule that refused it. Deciders are
/// pure functions of the command, the current state and the time, so they are tested without a host.
/// </summary>
public readonly record struct Decision<TEvent>
    where TEvent : class
{
    private Decision(TEvent? accepted, Rejection? rejection)
    {
        Event = accepted;
        Rejection = rejection;
    }

    public TEvent? Event { get; }

    public Rejection? Rejection { get; }

    public bool IsAccepted => Event is not null;

    public static Decision<TEvent> Accept(TEvent accepted) => new(accepted, null);

    public static Decision<TEvent> Reject(Rejection rejection) => new(null, rejection);

    public static implicit operator Decision<TEvent>(TEvent accepted) => Accept(accepted);

    public static implicit operator Decision<TEvent>(Rejection rejection) => Reject(rejection);
}
