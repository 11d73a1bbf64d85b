using JasperFx.Events.Projections;
using Marten;
using TimeBank.Api.Infrastructure.EventStore;
using TimeBank.Domain.Pairings;

namespace TimeBank.Api.Pairings;

public static class PairingsConfiguration
{
    /// <summary>
    /// One document per pairing, from the elder streams the pairing events live on. Inline: ending a pairing
    /// reads it in the same request, and a partner reads the pairing right after making it.
    /// </summary>
    public static void ConfigurePairings(this StoreOptions options)
    {
        options.AddInlineView<Pairing, IPairingEvent>(e => e.PairingId, Pairing.Evolve, typeof(ElderPaired));
        options.Schema.For<Pairing>().Index(p => p.VolunteerId).Index(p => p.ElderId);
    }
}
