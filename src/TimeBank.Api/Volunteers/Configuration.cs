using Marten;
using TimeBank.Api.Infrastructure.EventStore;
using TimeBank.Domain.Volunteers;

namespace TimeBank.Api.Volunteers;

public static class VolunteersConfiguration
{
    /// <summary>
    /// The volunteer snapshot (with their time-account balance) is inline: a partner reads the balance right
    /// after recording a service and must see it, and the next write decides on it.
    /// </summary>
    public static void ConfigureVolunteers(this StoreOptions options) =>
        options.AddInlineSnapshot<Volunteer>();
}
