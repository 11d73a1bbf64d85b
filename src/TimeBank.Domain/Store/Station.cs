using TimeBank.Domain.Shared;

namespace TimeBank.Domain.Store;

/// <summary>
/// A New-Era Civilization Practice Station (新时代文明实践站) opened its store, where volunteers exchange
/// points for daily goods. Orders not picked up within <paramref name="PickupDays"/> days expire.
/// </summary>
public sealed record StationOpened(Guid StationId, string Name, int PickupDays, string OpenedBy, DateTimeOffset OpenedAt);

/// <summary>An item was added to the station's catalogue, with its price in points and the stock on the shelf.</summary>
public sealed record StoreItemAdded(Guid StationId, Guid ItemId, string Name, string Unit, int PricePoints, int Stock, string AddedBy, DateTimeOffset AddedAt);

public sealed record StoreItemRepriced(Guid StationId, Guid ItemId, int FromPoints, int ToPoints, string RepricedBy, DateTimeOffset RepricedAt);

public sealed record StoreItemRestocked(Guid StationId, Guid ItemId, int Quantity, string RestockedBy, DateTimeOffset RestockedAt);

/// <summary>The item is no longer offered; orders already placed for it can still be picked up.</summary>
public sealed record StoreItemWithdrawn(Guid StationId, Guid ItemId, string WithdrawnBy, DateTimeOffset WithdrawnAt);

/// <summary>An item of the catalogue as it stands: price, stock on the shelf (orders placed take it off at once), offered or not.</summary>
public sealed record StoreItem(Guid ItemId, string Name, string Unit, int PricePoints, int Stock, bool Withdrawn);

/// <summary>
/// A station as its stream tells it: its catalogue with stock, and its open orders. Every order and stock change
/// is appended here, so the stream's version guards "never below zero stock" and the pickup codes.
/// </summary>
public sealed record Station(Guid Id, string Name, int PickupDays, IReadOnlyList<StoreItem> Items, IReadOnlyList<OpenOrder> OpenOrders, int OrdersPlaced) : IAggregate<Station>
{
    public const int MaxPickupDays = 90;

    public static IReadOnlyList<Type> EventTypes { get; } =
    [
        typeof(StationOpened), typeof(StoreItemAdded), typeof(StoreItemRepriced), typeof(StoreItemRestocked), typeof(StoreItemWithdrawn),
        typeof(StoreOrderPlaced), typeof(StoreOrderPickedUp), typeof(StoreOrderCancelled),
    ];

    public StoreItem? Item(Guid itemId) => Items.FirstOrDefault(i => i.ItemId == itemId);

    public static Station? Evolve(Station? state, object @event) => (state, @event) switch
    {
        (null, StationOpened opened) => new Station(opened.StationId, opened.Name, opened.PickupDays, [], [], 0),
        ({ } s, StoreItemAdded added) => s with { Items = [.. s.Items, new StoreItem(added.ItemId, added.Name, added.Unit, added.PricePoints, added.Stock, false)] },
        ({ } s, StoreItemRepriced repriced) => s.Changing(repriced.ItemId, i => i with { PricePoints = repriced.ToPoints }),
        ({ } s, StoreItemRestocked restocked) => s.Changing(restocked.ItemId, i => i with { Stock = i.Stock + restocked.Quantity }),
        ({ } s, StoreItemWithdrawn withdrawn) => s.Changing(withdrawn.ItemId, i => i with { Withdrawn = true }),
        ({ } s, StoreOrderPlaced placed) => s.Taking(placed.Lines, -1) with
        {
            OpenOrders = [.. s.OpenOrders, new OpenOrder(placed.OrderId, placed.PickupCode)],
            OrdersPlaced = s.OrdersPlaced + 1,
        },
        ({ } s, StoreOrderPickedUp picked) => s with { OpenOrders = [.. s.OpenOrders.Where(o => o.OrderId != picked.OrderId)] },
        ({ } s, StoreOrderCancelled cancelled) => s.Taking(cancelled.Lines, +1) with { OpenOrders = [.. s.OpenOrders.Where(o => o.OrderId != cancelled.OrderId)] },
        _ => state,
    };

    private Station Changing(Guid itemId, Func<StoreItem, StoreItem> change) => this with { Items = [.. Items.Select(i => i.ItemId == itemId ? change(i) : i)] };

    private Station Taking(IReadOnlyList<OrderLine> lines, int sign) =>
        lines.Aggregate(this, (station, line) => station.Changing(line.ItemId, i => i with { Stock = i.Stock + (sign * line.Quantity) }));
}

/// <summary>An order waiting at the counter, and the code that releases it.</summary>
public sealed record OpenOrder(Guid OrderId, string PickupCode);

/// <summary>Decides changes to a station's catalogue.</summary>
public static class StationCatalogue
{
    public static Decision<StoreItemRepriced> Reprice(Station station, Guid itemId, int toPoints, string by, TimeProvider clock) =>
        Offered(station, itemId) is { } rejection ? rejection : new StoreItemRepriced(station.Id, itemId, station.Item(itemId)!.PricePoints, toPoints, by, clock.GetUtcNow());

    public static Decision<StoreItemRestocked> Restock(Station station, Guid itemId, int quantity, string by, TimeProvider clock) =>
        Offered(station, itemId) is { } rejection ? rejection : new StoreItemRestocked(station.Id, itemId, quantity, by, clock.GetUtcNow());

    public static Decision<StoreItemWithdrawn> Withdraw(Station station, Guid itemId, string by, TimeProvider clock) =>
        Offered(station, itemId) is { } rejection ? rejection : new StoreItemWithdrawn(station.Id, itemId, by, clock.GetUtcNow());

    private static Rejection? Offered(Station station, Guid itemId) => station.Item(itemId) switch
    {
        null => Rejection.NotFound("unknown-item", "itemId", "No item with this id in the station's catalogue."),
        { Withdrawn: true } => Rejection.Conflict("item-withdrawn", "itemId", "The item was withdrawn from the catalogue."),
        _ => null,
    };
}
