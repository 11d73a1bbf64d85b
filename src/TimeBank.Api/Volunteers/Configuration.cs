using Marten;
using TimeBank.Api.Audit;
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

/// <summary>A volunteer as recorded at a moment, for the reads and audits that ask as of then.</summary>
public static class VolunteerHistory
{
    /// <summary>The volunteer now (the inline view), or folded from their stream up to a moment of the past.</summary>
    public static async Task<Volunteer?> AsOfAsync(IQuerySession session, Guid volunteerId, AsOf? point, CancellationToken cancellation) =>
        point is null
            ? await session.LoadAsync<Volunteer>(volunteerId, cancellation)
            : (await point.StreamAsync(session, volunteerId, cancellation)).Aggregate((Volunteer?)null, (v, e) => Volunteer.Evolve(v, e.Data));
}
