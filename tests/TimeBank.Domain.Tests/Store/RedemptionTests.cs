using Microsoft.Extensions.Time.Testing;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Points;
using TimeBank.Domain.Store;
using TimeBank.Domain.Volunteers;

namespace TimeBank.Domain.Tests.Store;

public class RedemptionTests
{
    private static readonly Guid Rice = Guid.NewGuid();
    private static readonly Guid Oil = Guid.NewGuid();

    private FakeTimeProvider _clock = null!;
    private Station _station = null!;

    [SetUp]
    public void OpenAStation()
    {
        _clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero));
        _station = new Station(Guid.NewGuid(), "实践站", 7,
            [new StoreItem(Rice, "大米", "袋", 30, 2, false), new StoreItem(Oil, "食用油", "瓶", 15, 10, false)], [], 41);
    }

    /// <summary>A volunteer enrolled in January and awarded <paramref name="points"/> for 2026Q3, from their events.</summary>
    private static Volunteer WithPoints(int points)
    {
        var id = Guid.NewGuid();
        var award = new PointsAwarded(id, new Quarter(2026, 3), points, new ScoreBreakdown([], [], points, 0, null, 0, 0, 0, points), "office-01", DateTimeOffset.Parse("2026-10-02T09:00:00+08:00"));
        return new object[] { new VolunteerEnrolled(id, "general-care", new DateOnly(2026, 1, 5), null, "grid-01", DateTimeOffset.Parse("2026-01-05T09:00:00+08:00")), award }
            .Aggregate((Volunteer?)null, Volunteer.Evolve)!;
    }

    [Test]
    public void an_exchange_prices_each_line_and_keeps_the_order_seven_days_under_the_next_receipt_number()
    {
        var exchange = Redemption.Place(Guid.NewGuid(), _station, WithPoints(105), [new(Rice, 2), new(Oil, 3)], "123456", "store-01", _clock).Event!;

        // Two bags of rice at 30 and three bottles of oil at 15.
        Assert.That(exchange.Placed.Lines.Select(l => l.Points), Is.EqualTo(new[] { 60, 45 }));
        Assert.That((exchange.Placed.TotalPoints, exchange.Redeemed.Points), Is.EqualTo((105, 105)));
        Assert.That(exchange.Placed.ExpiresAt, Is.EqualTo(_clock.GetUtcNow().AddDays(7)));
        Assert.That(exchange.Placed.ReceiptNumber, Does.EndWith("-000042"));
    }

    [Test]
    public void an_exchange_costing_more_than_the_balance_is_refused()
    {
        var refused = Redemption.Place(Guid.NewGuid(), _station, WithPoints(74), [new(Rice, 2), new(Oil, 1)], "123456", "store-01", _clock).Rejection;

        Assert.That((refused!.Code, refused.Field), Is.EqualTo(("insufficient-points", "items")));
    }

    [Test]
    public void an_exchange_for_more_than_the_stock_is_refused_whatever_the_balance()
    {
        var refused = Redemption.Place(Guid.NewGuid(), _station, WithPoints(10_000), [new(Rice, 3)], "123456", "store-01", _clock).Rejection;

        Assert.That(refused!.Code, Is.EqualTo("out-of-stock"));
    }

    [Test]
    public void placing_and_undoing_an_order_takes_and_gives_back_the_same_stock_and_points()
    {
        var volunteer = WithPoints(100);
        var exchange = Redemption.Place(Guid.NewGuid(), _station, volunteer, [new(Rice, 2)], "123456", "store-01", _clock).Event!;
        var afterExchange = Station.Evolve(_station, exchange.Placed)!;
        var order = StoreOrder.Evolve(null, exchange.Placed);

        var undoing = Redemption.Undo(order, volunteer.Points.Apply(exchange.Redeemed), OrderEndReason.Cancelled, "store-01", _clock).Event!;
        var afterUndo = Station.Evolve(afterExchange, undoing.Cancelled)!;

        Assert.That((afterExchange.Item(Rice)!.Stock, afterExchange.OpenOrders.Count), Is.EqualTo((0, 1)));
        Assert.That((afterUndo.Item(Rice)!.Stock, afterUndo.OpenOrders.Count), Is.EqualTo((2, 0)));
        var points = volunteer.Points.Apply(exchange.Redeemed);
        Assert.That((points.Balance, points.Apply(undoing.Restored).Balance), Is.EqualTo((40, 100)));
    }

    [Test]
    public void an_order_expires_only_once_its_time_has_come_and_only_if_still_waiting()
    {
        var exchange = Redemption.Place(Guid.NewGuid(), _station, WithPoints(100), [new(Oil, 1)], "123456", "store-01", _clock).Event!;
        var order = StoreOrder.Evolve(null, exchange.Placed)!;

        Assert.That(Redemption.Undo(order, PointsAccount.Empty, OrderEndReason.Expired, "expiry", _clock).Rejection!.Code, Is.EqualTo("order-not-expired"));
        _clock.Advance(TimeSpan.FromDays(7));
        Assert.That(Redemption.PickUp(_station, order, "store-01", _clock).Rejection!.Code, Is.EqualTo("order-expired"));
        Assert.That(Redemption.Undo(order, PointsAccount.Empty, OrderEndReason.Expired, "expiry", _clock).Event, Is.Not.Null);
        Assert.That(Redemption.Undo(order with { Status = OrderStatus.PickedUp }, PointsAccount.Empty, OrderEndReason.Expired, "expiry", _clock).Rejection!.Code, Is.EqualTo("order-cannot-be-undone"));
    }

    [Test]
    public void an_order_asked_for_again_under_its_id_is_that_order_only_for_the_same_volunteer_and_items()
    {
        var volunteer = WithPoints(105);
        var placed = StoreOrder.Evolve(null, Redemption.Place(Guid.NewGuid(), _station, volunteer, [new(Rice, 2), new(Oil, 3)], "123456", "store-01", _clock).Event!.Placed)!;

        // The lines in another order are the same order; one bag fewer, or another volunteer, is not.
        Assert.That(Redemption.Resend(placed, volunteer.Id, [new(Oil, 3), new(Rice, 2)]), Is.Null);
        Assert.That(Redemption.Resend(placed, volunteer.Id, [new(Rice, 1), new(Oil, 3)])!.Code, Is.EqualTo("order-id-in-use"));
        Assert.That(Redemption.Resend(placed, Guid.NewGuid(), [new(Rice, 2), new(Oil, 3)])!.Code, Is.EqualTo("order-id-in-use"));
    }
}
