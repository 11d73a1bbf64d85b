using TimeBank.Domain.Points;
using TimeBank.Domain.Shared;
using TimeBank.Domain.Volunteers;

namespace TimeBank.Domain.Store;

/// <summary>Some of one item in an order, at the price when it was placed.</summary>
public sealed record OrderLine(Guid ItemId, int Quantity, int UnitPoints)
{
    public int Points => Quantity * UnitPoints;
}

/// <summary>An event about one store order, named by its id (all of them are on the station's stream).</summary>
public interface IStoreOrderEvent
{
    Guid OrderId { get; }
}

/// <summary>
/// A volunteer exchanged points for goods (兑换): the stock was taken off the shelf and the order waits at the
/// counter until <paramref name="ExpiresAt"/> under its receipt number and pickup code (核销码).
/// Appended to the station's stream, with <see cref="PointsRedeemed"/> on the volunteer's, in one transaction.
/// </summary>
public sealed record StoreOrderPlaced(
    Guid StationId,
    Guid OrderId,
    Guid VolunteerId,
    IReadOnlyList<OrderLine> Lines,
    int TotalPoints,
    string ReceiptNumber,
    string PickupCode,
    DateTimeOffset ExpiresAt,
    string PlacedBy,
    DateTimeOffset PlacedAt) : IStoreOrderEvent;

/// <summary>The goods were handed over at the counter against the pickup code.</summary>
public sealed record StoreOrderPickedUp(Guid StationId, Guid OrderId, Guid VolunteerId, string HandedOverBy, DateTimeOffset PickedUpAt) : IStoreOrderEvent;

public enum OrderEndReason
{
    /// <summary>Called off before pickup.</summary>
    Cancelled,

    /// <summary>Not picked up in time.</summary>
    Expired,

    /// <summary>Brought back after pickup.</summary>
    Returned,
}

/// <summary>
/// The order was undone (cancelled, expired unpicked, or returned): its stock goes back on the shelf, and its
/// points back to the volunteer with <see cref="PointsRestored"/>. Compensates the placing; never deletes it.
/// </summary>
public sealed record StoreOrderCancelled(
    Guid StationId, Guid OrderId, Guid VolunteerId, IReadOnlyList<OrderLine> Lines, int TotalPoints, OrderEndReason Reason, string CancelledBy, DateTimeOffset CancelledAt)
    : IStoreOrderEvent;

/// <summary>
/// Points left the volunteer's account for an order, drawn on the awards <paramref name="DrawnFrom"/> names,
/// oldest first (null in redemptions appended by earlier versions, which the account draws oldest first as it folds them).
/// </summary>
public sealed record PointsRedeemed(Guid VolunteerId, Guid OrderId, Guid StationId, int Points, DateTimeOffset RedeemedAt, IReadOnlyList<AwardDraw>? DrawnFrom = null);

/// <summary>
/// Points came back to the volunteer's account because their order was undone, to the awards the order drew on
/// (<paramref name="ReturnedTo"/>; null in restorations appended by earlier versions, which go back to the order's draws).
/// </summary>
public sealed record PointsRestored(
    Guid VolunteerId, Guid OrderId, Guid StationId, int Points, OrderEndReason Reason, DateTimeOffset RestoredAt, IReadOnlyList<AwardDraw>? ReturnedTo = null);

public enum OrderStatus
{
    AwaitingPickup,
    PickedUp,
    Cancelled,
    Expired,
    Returned,
}

/// <summary>One order as its events tell it.</summary>
public sealed record StoreOrder(
    Guid Id, Guid StationId, Guid VolunteerId, IReadOnlyList<OrderLine> Lines, int TotalPoints, string ReceiptNumber, string PickupCode,
    DateTimeOffset PlacedAt, DateTimeOffset ExpiresAt, OrderStatus Status, DateTimeOffset? PickedUpAt, DateTimeOffset? EndedAt)
{
    public static StoreOrder? Evolve(StoreOrder? state, object @event) => (state, @event) switch
    {
        (null, StoreOrderPlaced p) => new StoreOrder(p.OrderId, p.StationId, p.VolunteerId, p.Lines, p.TotalPoints, p.ReceiptNumber, p.PickupCode,
            p.PlacedAt, p.ExpiresAt, OrderStatus.AwaitingPickup, null, null),
        ({ } o, StoreOrderPickedUp picked) => o with { Status = OrderStatus.PickedUp, PickedUpAt = picked.PickedUpAt },
        ({ } o, StoreOrderCancelled c) => o with
        {
            Status = c.Reason switch { OrderEndReason.Expired => OrderStatus.Expired, OrderEndReason.Returned => OrderStatus.Returned, _ => OrderStatus.Cancelled },
            EndedAt = c.CancelledAt,
        },
        _ => state,
    };

    /// <summary>Whether an order asked for again under this order's id is this order: the same volunteer and the same items.</summary>
    public bool IsResendOf(Guid volunteerId, IReadOnlyList<WantedItem> wanted) =>
        VolunteerId == volunteerId && Lines.Select(l => (l.ItemId, l.Quantity)).Order().SequenceEqual(wanted.Select(w => (w.ItemId, w.Quantity)).Order());
}

/// <summary>What a volunteer asked for: an item and how many.</summary>
public sealed record WantedItem(Guid ItemId, int Quantity);

/// <summary>The two facts of one exchange, appended together.</summary>
public sealed record Exchange(StoreOrderPlaced Placed, PointsRedeemed Redeemed);

/// <summary>The two facts of undoing an order, appended together.</summary>
public sealed record Undoing(StoreOrderCancelled Cancelled, PointsRestored Restored);

/// <summary>Decides exchanges at the counter: never below zero points, never below zero stock.</summary>
public static class Redemption
{
    /// <summary>
    /// An order asked for under an id already placed: the same order again is answered as placed (null), anything
    /// else under that id is refused. Decided with the station's lock held, so two requests racing under one id
    /// cannot both find it free.
    /// </summary>
    public static Rejection? Resend(StoreOrder placed, Guid volunteerId, IReadOnlyList<WantedItem> wanted) =>
        placed.IsResendOf(volunteerId, wanted) ? null : Rejection.Conflict("order-id-in-use", "orderId", "An order with this id was placed for other items or another volunteer.");

    public static Decision<Exchange> Place(
        Guid orderId, Station station, Volunteer? volunteer, IReadOnlyList<WantedItem> wanted, string pickupCode, string by, TimeProvider clock)
    {
        if (volunteer is null) return Rejection.NotFound("unknown-volunteer", "volunteerId", "No volunteer with this id is enrolled in this community.");
        if (wanted.GroupBy(w => w.ItemId).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            return Rejection.RuleBroken("item-listed-twice", "items", $"Item {twice.Key} is listed more than once; give its whole quantity on one line.");
        }

        var lines = new List<OrderLine>();
        foreach (var want in wanted)
        {
            var item = station.Item(want.ItemId);
            if (item is null) return Rejection.NotFound("unknown-item", "items", $"No item {want.ItemId} in the station's catalogue.");
            if (item.Withdrawn) return Rejection.Conflict("item-withdrawn", "items", $"'{item.Name}' was withdrawn from the catalogue.");
            if (item.Stock < want.Quantity) return Rejection.Conflict("out-of-stock", "items", $"Only {item.Stock} {item.Unit} of '{item.Name}' left.");
            lines.Add(new OrderLine(item.ItemId, want.Quantity, item.PricePoints));
        }

        var total = lines.Sum(l => l.Points);
        if (volunteer.Points.Balance < total)
        {
            return Rejection.RuleBroken("insufficient-points", "items", $"The order costs {total} points; the volunteer has {volunteer.Points.Balance}.");
        }

        var now = clock.GetUtcNow();
        var receipt = $"{station.Id.ToString("N")[..6].ToUpperInvariant()}-{station.OrdersPlaced + 1:D6}";
        var placed = new StoreOrderPlaced(station.Id, orderId, volunteer.Id, lines, total, receipt, pickupCode, now.AddDays(station.PickupDays), by, now);
        return new Exchange(placed, new PointsRedeemed(volunteer.Id, orderId, station.Id, total, now, volunteer.Points.DrawOldestFirst(total)));
    }

    public static Decision<StoreOrderPickedUp> PickUp(Station station, StoreOrder? order, string by, TimeProvider clock)
    {
        if (order is null) return Rejection.NotFound("unknown-pickup-code", "pickupCode", "No order waits at this station under this code.");
        if (order.Status != OrderStatus.AwaitingPickup) return Rejection.Conflict("order-not-awaiting-pickup", "pickupCode", $"The order is {order.Status}.");
        var now = clock.GetUtcNow();
        if (now >= order.ExpiresAt) return Rejection.Conflict("order-expired", "pickupCode", $"The order expired at {order.ExpiresAt:O}.");
        return new StoreOrderPickedUp(station.Id, order.Id, order.VolunteerId, by, now);
    }

    /// <summary>
    /// Undoes an order: cancelling or expiring one that awaits pickup, returning one picked up. Its points go back
    /// to the awards it drew on, as the volunteer's <paramref name="points"/> account remembers them.
    /// </summary>
    public static Decision<Undoing> Undo(StoreOrder? order, PointsAccount points, OrderEndReason reason, string by, TimeProvider clock)
    {
        if (order is null) return Rejection.NotFound("unknown-order", "orderId", "No order with this id at this station.");
        var allowed = reason == OrderEndReason.Returned ? OrderStatus.PickedUp : OrderStatus.AwaitingPickup;
        if (order.Status != allowed)
        {
            return Rejection.Conflict("order-cannot-be-undone", "", $"An order that is {order.Status} cannot be {reason.ToString().ToLowerInvariant()}.");
        }

        var now = clock.GetUtcNow();
        if (reason == OrderEndReason.Expired && now < order.ExpiresAt) return Rejection.Conflict("order-not-expired", "", $"The order waits until {order.ExpiresAt:O}.");
        return new Undoing(
            new StoreOrderCancelled(order.StationId, order.Id, order.VolunteerId, order.Lines, order.TotalPoints, reason, by, now),
            new PointsRestored(order.VolunteerId, order.Id, order.StationId, order.TotalPoints, reason, now, points.DrawsOf(order.Id)));
    }
}
