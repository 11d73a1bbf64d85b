using Marten;
using TimeBank.Domain.Elders;

namespace TimeBank.Api.People;

public enum PersonRole
{
    Volunteer,
    Elder,
    GridWorker,
    FamilyMember,
}

/// <summary>Whom to call for an elder in an emergency.</summary>
public sealed record EmergencyContact(string Name, string Phone);

/// <summary>
/// The personal data of a person the ledger knows (name, phone, birth dates, address, emergency contact).
/// It is deliberately kept out of the event log: events carry only the person's id, so erasing a person
/// (PIPL) removes this one document and the ledger still balances and replays. Never log any field of it.
/// </summary>
public sealed record PersonalDetails(
    Guid Id,
    PersonRole Role,
    string Name,
    string? Phone,
    DateOnly? BirthDate = null,
    string? Address = null,
    LunarBirthday? LunarBirthday = null,
    EmergencyContact? EmergencyContact = null);

public static class PeopleConfiguration
{
    public static void ConfigurePeople(this StoreOptions options)
    {
        options.Schema.For<PersonalDetails>();
        options.Events.AddEventType<PersonalDataErased>();
    }
}
