using TimeBank.Domain.Shared;
using TimeBank.Domain.TimeAccounts;

namespace TimeBank.Domain.Families;

public enum Relationship
{
    Spouse,
    Child,
    ChildInLaw,
    Grandchild,
    Sibling,
    Parent,
    Other,
}

/// <summary>
/// A family member of a volunteer or an elder was registered: they may receive time-savings services, hold
/// minutes given to them, and, once approved, act for the elder. Name and phone are personal data.
/// </summary>
public sealed record FamilyMemberRegistered(
    Guid FamilyMemberId,
    Guid RelativeId,
    Relationship Relationship,
    string RegisteredBy,
    DateTimeOffset RegisteredAt);

/// <summary>A family member, with the account that holds minutes given to them.</summary>
public sealed record FamilyMember(Guid Id, Guid RelativeId, Relationship Relationship, TimeAccount Account) : IAggregate<FamilyMember>
{
    public static IReadOnlyList<Type> EventTypes { get; } = [typeof(FamilyMemberRegistered), .. TimeAccount.EventTypes];

    public static FamilyMember? Evolve(FamilyMember? state, object @event) => (state, @event) switch
    {
        (null, FamilyMemberRegistered registered) => new FamilyMember(registered.FamilyMemberId, registered.RelativeId, registered.Relationship, TimeAccount.Empty),
        ({ } f, _) => f with { Account = f.Account.Apply(@event) },
        _ => state,
    };
}
