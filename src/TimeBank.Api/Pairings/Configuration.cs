using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;
using TimeBank.Domain.Pairings;

namespace TimeBank.Api.Pairings;

/// <summary>
/// One document per pairing, gathered from the elder streams the pairing events live on. Inline: ending a
/// pairing reads it in the same request, and a partner reads the pairing right after making it.
/// </summary>
public sealed class PairingProjection : MultiStreamProjection<Pairing, Guid>
{
    public PairingProjection() => Identity<IPairingEvent>(e => e.PairingId);

    public override Pairing? Evolve(Pairing? snapshot, Guid id, IEvent e) => Pairing.Evolve(snapshot, e.Data);
}

public static class PairingsConfiguration
{
    public static void ConfigurePairings(this StoreOptions options)
    {
        options.Projections.Add(new PairingProjection(), ProjectionLifecycle.Inline);
        options.Schema.For<Pairing>().Index(p => p.VolunteerId).Index(p => p.ElderId);
    }
}
