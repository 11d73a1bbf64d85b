using JasperFx.Events.Projections;
using Marten;
using TimeBank.Api.Infrastructure.EventStore;
using TimeBank.Domain.Store;

namespace TimeBank.Api.Store;

public static class StoreConfiguration
{
    /// <summary>
    /// The station snapshot and one document per order, both inline: an exchange reads the stock and the
    /// counter reads the order by its pickup code in the very next request.
    /// </summary>
    public static void ConfigureStore(this StoreOptions options)
    {
        options.AddInlineSnapshot<Station>();
        options.AddInlineView<StoreOrder, IStoreOrderEvent>(e => e.OrderId, StoreOrder.Evolve, typeof(StoreOrderPlaced));
        options.Schema.For<StoreOrder>().Index(o => o.StationId).Index(o => o.VolunteerId);
    }
}
