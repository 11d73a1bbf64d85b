using System.Security.Cryptography;
using FluentValidation;
using Marten;
using TimeBank.Api.Communities;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.Partners;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Partners;
using TimeBank.Domain.Points;
using TimeBank.Domain.Shared;
using TimeBank.Domain.Store;
using TimeBank.Domain.Volunteers;
using Wolverine;
using Wolverine.Http;

namespace TimeBank.Api.Store;

/// <summary>
/// Exchange a volunteer's points for items, in one step. Give an <paramref name="OrderId"/> of your own to make
/// the request safe to resend: the same order again answers the first result.
/// </summary>
public sealed record PlaceOrder(Guid? OrderId, Guid VolunteerId, IReadOnlyList<WantedItem>? Items, string RecordedBy) : IExampleRequest<PlaceOrder>
{
    public static PlaceOrder Example => new(ExampleIds.Order, ExampleIds.Volunteer, [new WantedItem(ExampleIds.Item, 1)], "store-01");

    public sealed class Validator : AbstractValidator<PlaceOrder>
    {
        public Validator()
        {
            RuleFor(c => c.VolunteerId).NotEmpty();
            RuleFor(c => c.Items).NotEmpty();
            RuleForEach(c => c.Items).ChildRules(i =>
            {
                i.RuleFor(x => x.ItemId).NotEmpty();
                i.RuleFor(x => x.Quantity).InclusiveBetween(1, 1000);
            });
            RuleFor(c => c.RecordedBy).Recorder();
        }
    }
}

/// <summary>Hand an order over at the counter against its pickup code (核销).</summary>
public sealed record PickUpOrder(string PickupCode, string RecordedBy) : IExampleRequest<PickUpOrder>
{
    public static PickUpOrder Example => new("482913", "store-01");

    public sealed class Validator : AbstractValidator<PickUpOrder>
    {
        public Validator()
        {
            RuleFor(c => c.PickupCode).NotEmpty().Matches("^[0-9]{6}$").WithMessage("A pickup code is six digits.");
            RuleFor(c => c.RecordedBy).Recorder();
        }
    }
}

/// <summary>Cancel an order awaiting pickup, or take back one picked up: stock and points are restored.</summary>
public sealed record UndoOrder(string RecordedBy) : IExampleRequest<UndoOrder>
{
    public static UndoOrder Example => new("store-01");

    public sealed class Validator : AbstractValidator<UndoOrder>
    {
        public Validator() => RuleFor(c => c.RecordedBy).Recorder();
    }
}

/// <summary>Expires an order not picked up in time; scheduled when it is placed.</summary>
public sealed record ExpireStoreOrder(Guid StationId, Guid OrderId);

public static class OrderEndpoints
{
    [WolverinePost("/api/v1/communities/{community}/stations/{stationId}/orders", Name = "PlaceOrder")]
    [RequiresRole(PartnerRole.Store)]
    [Tags("Store")]
    public static async Task<Results<Created<StoreOrder>, ProblemHttpResult>> Place(
        string community, [NotBody] Community home, Guid stationId, PlaceOrder command, IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken cancellation)
    {
        var orderId = command.OrderId ?? Guid.CreateVersion7();

        // The station's stream is locked for the exchange: requests at one counter queue instead of failing, and
        // the stock they see is the stock they take. The volunteer's stream is guarded by its version.
        var stream = await session.Events.FetchForExclusiveWriting<Station>(stationId, cancellation);
        if (stream.Aggregate is not { } station) return UnknownId.Station.Answer();
        // Read under the lock: a request that held it first under the same id has committed its order by now.
        if (command.OrderId is not null && await session.LoadAsync<StoreOrder>(orderId, cancellation) is { } placed)
        {
            return Redemption.Resend(placed, command.VolunteerId, command.Items!) is { } clash
                ? ProblemResponses.From(clash)
                : TypedResults.Created(OrderUrl(community, placed.StationId, placed.Id), placed);
        }

        var volunteer = await session.Events.FetchForWriting<Volunteer>(command.VolunteerId, cancellation);

        var decision = Redemption.Place(orderId, station, volunteer.Aggregate, command.Items!, NewPickupCode(station), command.RecordedBy, clock);
        if (decision.Rejection is { } rejection) return ProblemResponses.From(rejection);

        var exchange = decision.Event!;
        stream.AppendOne(exchange.Placed);
        volunteer.AppendOne(exchange.Redeemed);
        await bus.ScheduleAsync(new ExpireStoreOrder(stationId, orderId), exchange.Placed.ExpiresAt);
        return TypedResults.Created(OrderUrl(community, exchange.Placed.StationId, orderId), StoreOrder.Evolve(null, exchange.Placed));
    }

    /// <summary>A store order: its lines, points, receipt number, pickup code and status.</summary>
    [WolverineGet("/api/v1/communities/{community}/stations/{stationId}/orders/{orderId}", Name = "GetOrder")]
    [Tags("Store")]
    public static async Task<Results<Ok<StoreOrder>, ProblemHttpResult>> Get(string community, Guid stationId, Guid orderId, IQuerySession session, CancellationToken cancellation)
    {
        var order = await session.LoadAsync<StoreOrder>(orderId, cancellation);
        if (order is not null && order.StationId == stationId) return TypedResults.Ok(order);
        return await UnknownId.Order.AnswerAsync(session, community, cancellation);
    }

    /// <summary>Every store order a volunteer has placed in this community, newest first.</summary>
    [WolverineGet("/api/v1/communities/{community}/volunteers/{volunteerId}/orders", Name = "ListVolunteerOrders")]
    [Tags("Store")]
    public static async Task<Results<Ok<IReadOnlyList<StoreOrder>>, ProblemHttpResult>> OfVolunteer(string community, Guid volunteerId, IQuerySession session, CancellationToken cancellation)
    {
        if (await session.LoadAsync<Volunteer>(volunteerId, cancellation) is null) return await UnknownId.Volunteer.AnswerAsync(session, community, cancellation);
        return TypedResults.Ok(await session.Query<StoreOrder>().Where(o => o.VolunteerId == volunteerId).OrderBy(o => o.PlacedAt).ToListAsync(cancellation));
    }

    [WolverinePost("/api/v1/communities/{community}/stations/{stationId}/pickups", Name = "PickUpOrder")]
    [RequiresRole(PartnerRole.Store)]
    [Tags("Store")]
    public static async Task<Results<Ok<StoreOrder>, ProblemHttpResult>> PickUp(
        string community, Guid stationId, PickUpOrder command, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var stream = await session.Events.FetchForExclusiveWriting<Station>(stationId, cancellation);
        if (stream.Aggregate is not { } station) return await UnknownId.Station.AnswerAsync(session, community, cancellation);
        var open = station.OpenOrders.FirstOrDefault(o => o.PickupCode == command.PickupCode);
        var order = open is null ? null : await session.LoadAsync<StoreOrder>(open.OrderId, cancellation);

        var decision = Redemption.PickUp(station, order, command.RecordedBy, clock);
        if (decision.Rejection is { } rejection) return ProblemResponses.From(rejection);
        stream.AppendOne(decision.Event!);
        return TypedResults.Ok(StoreOrder.Evolve(order, decision.Event!));
    }

    [WolverinePost("/api/v1/communities/{community}/stations/{stationId}/orders/{orderId}/cancellation", Name = "CancelOrder")]
    [RequiresRole(PartnerRole.Store)]
    [Tags("Store")]
    public static Task<Results<Ok<StoreOrder>, ProblemHttpResult>> Cancel(
        string community, Guid stationId, Guid orderId, UndoOrder command, IDocumentSession session, TimeProvider clock, CancellationToken cancellation) =>
        UndoAsync(session, community, stationId, orderId, OrderEndReason.Cancelled, command.RecordedBy, clock, cancellation);

    [WolverinePost("/api/v1/communities/{community}/stations/{stationId}/orders/{orderId}/return", Name = "ReturnOrder")]
    [RequiresRole(PartnerRole.Store)]
    [Tags("Store")]
    public static Task<Results<Ok<StoreOrder>, ProblemHttpResult>> Return(
        string community, Guid stationId, Guid orderId, UndoOrder command, IDocumentSession session, TimeProvider clock, CancellationToken cancellation) =>
        UndoAsync(session, community, stationId, orderId, OrderEndReason.Returned, command.RecordedBy, clock, cancellation);

    private static async Task<Results<Ok<StoreOrder>, ProblemHttpResult>> UndoAsync(
        IDocumentSession session, string community, Guid stationId, Guid orderId, OrderEndReason reason, string by, TimeProvider clock, CancellationToken cancellation)
    {
        var undone = await StoreOrderUndoing.AppendAsync(session, stationId, orderId, reason, by, clock, cancellation);
        // Which of the community and the station is unknown is for the one answer to say.
        if (undone.Rejection is { Code: "unknown-station" }) return await UnknownId.Station.AnswerAsync(session, community, cancellation);
        return undone.Rejection is { } rejection ? ProblemResponses.From(rejection) : TypedResults.Ok(undone.Event!);
    }

    private static string OrderUrl(string community, Guid stationId, Guid orderId) => $"/api/v1/communities/{community}/stations/{stationId}/orders/{orderId}";

    /// <summary>Six random digits not used by another order waiting at the station.</summary>
    private static string NewPickupCode(Station station)
    {
        while (true)
        {
            var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
            if (station.OpenOrders.All(o => o.PickupCode != code)) return code;
        }
    }
}

/// <summary>Undoing an order, by the counter (cancel, return) or by its expiry: one decision, on both streams in one transaction.</summary>
internal static class StoreOrderUndoing
{
    /// <summary>Appends the undoing (stock back on the station's stream, points back on the volunteer's) and answers the order as undone, or the rule that refused it.</summary>
    public static async Task<Decision<StoreOrder>> AppendAsync(
        IDocumentSession session, Guid stationId, Guid orderId, OrderEndReason reason, string by, TimeProvider clock, CancellationToken cancellation)
    {
        var stream = await session.Events.FetchForExclusiveWriting<Station>(stationId, cancellation);
        if (stream.Aggregate is null) return Rejection.NotFound("unknown-station", "stationId", "No station with this id in this community.");
        var order = await session.LoadAsync<StoreOrder>(orderId, cancellation);
        if (order?.StationId != stationId) order = null;
        // The volunteer's account says which awards the order drew on; its version guards the restoration.
        var volunteer = order is null ? null : await session.Events.FetchForWriting<Volunteer>(order.VolunteerId, cancellation);
        var decision = Redemption.Undo(order, volunteer?.Aggregate?.Points ?? PointsAccount.Empty, reason, by, clock);
        if (decision.Rejection is { } rejection) return rejection;

        var undoing = decision.Event!;
        stream.AppendOne(undoing.Cancelled);
        volunteer!.AppendOne(undoing.Restored);
        return StoreOrder.Evolve(order, undoing.Cancelled)!;
    }
}

/// <summary>Expires an order nobody picked up, restoring its stock and points. Runs in the order's community.</summary>
public static class ExpireStoreOrderHandler
{
    public static async Task Handle(ExpireStoreOrder message, IDocumentSession session, TimeProvider clock, ILogger<ExpireStoreOrder> logger, CancellationToken cancellation)
    {
        var order = await session.LoadAsync<StoreOrder>(message.OrderId, cancellation);
        if (order is null || order.Status != OrderStatus.AwaitingPickup || clock.GetUtcNow() < order.ExpiresAt)
        {
            logger.LogInformation("Store order {OrderId} is not due to expire (status {Status})", message.OrderId, order?.Status);
            return;
        }

        var expired = await StoreOrderUndoing.AppendAsync(session, message.StationId, message.OrderId, OrderEndReason.Expired, "order-expiry", clock, cancellation);
        if (expired.Rejection is { } rejection) logger.LogInformation("Store order {OrderId} was not expired: {Code}", message.OrderId, rejection.Code);
        else logger.LogInformation("Expired store order {OrderId}", message.OrderId);
    }
}
