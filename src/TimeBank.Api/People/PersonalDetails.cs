using Marten;

namespace TimeBank.Api.People;

public enum PersonRole
{
    Volunteer,
    Elder,
}

/// <summary>
/// The personal data of a volunteer or elder (name, phone, birth date, address). It is deliberately kept
/// out of the event log: events carry only the person's id, so erasing a person (PIPL) removes this one
/// document and the ledger still balances and replays. Never log any field of it.
/// </summary>
public sealed record PersonalDetails(
    Guid Id,
    PersonRole Role,
    string Name,
    string? Phone,
    DateOnly? BirthDate,
    string? Address);

public static class PeopleConfiguration
{
    public static void ConfigurePeople(this StoreOptions options) =>
        options.Schema.For<PersonalDetails>();
}
