using FluentValidation;
using Marten;
using TimeBank.Api.Communities;
using TimeBank.Api.Infrastructure.EventStore;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.Partners;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Partners;
using TimeBank.Domain.Shared;
using TimeBank.Domain.Store;
using Wolverine.Http;

namespace TimeBank.Api.Store;

/// <summary>Open the store of a station. Orders not picked up within <paramref name="PickupDays"/> days (7 if left out) expire.</summary>
public sealed record OpenStation(string Name, int? PickupDays, string RecordedBy) : IExampleRequest<OpenStation>
{
    public static OpenStation Example => new("新时代文明实践站", 7, "office-01");

    public sealed class Validator : AbstractValidator<OpenStation>
    {
        public Validator()
        {
            RuleFor(c => c.Name).NotEmpty().MaximumLength(80);
            RuleFor(c => c.PickupDays).InclusiveBetween(1, Station.MaxPickupDays);
            RuleFor(c => c.RecordedBy).Recorder();
        }
    }
}

/// <summary>Add an item to the catalogue: its name, unit (袋, 瓶, 盒...), price in points and the stock on the shelf.</summary>
public sealed record AddStoreItem(string Name, string Unit, int PricePoints, int Stock, string RecordedBy) : IExampleRequest<AddStoreItem>
{
    public static AddStoreItem Example => new("东北大米 5kg", "袋", 30, 20, "store-01");

    public sealed class Validator : AbstractValidator<AddStoreItem>
    {
        public Validator()
        {
            RuleFor(c => c.Name).NotEmpty().MaximumLength(80);
            RuleFor(c => c.Unit).NotEmpty().MaximumLength(10);
            RuleFor(c => c.PricePoints).InclusiveBetween(1, 1_000_000);
            RuleFor(c => c.Stock).InclusiveBetween(0, 1_000_000);
            RuleFor(c => c.RecordedBy).Recorder();
        }
    }
}

public sealed record RepriceStoreItem(int PricePoints, string RecordedBy) : IExampleRequest<RepriceStoreItem>
{
    public static RepriceStoreItem Example => new(28, "store-01");

    public sealed class Validator : AbstractValidator<RepriceStoreItem>
    {
        public Validator()
        {
            RuleFor(c => c.PricePoints).InclusiveBetween(1, 1_000_000);
            RuleFor(c => c.RecordedBy).Recorder();
        }
    }
}

public sealed record RestockStoreItem(int Quantity, string RecordedBy) : IExampleRequest<RestockStoreItem>
{
    public static RestockStoreItem Example => new(10, "store-01");

    public sealed class Validator : AbstractValidator<RestockStoreItem>
    {
        public Validator()
        {
            RuleFor(c => c.Quantity).InclusiveBetween(1, 1_000_000);
            RuleFor(c => c.RecordedBy).Recorder();
        }
    }
}

public sealed record WithdrawStoreItem(string RecordedBy) : IExampleRequest<WithdrawStoreItem>
{
    public static WithdrawStoreItem Example => new("store-01");

    public sealed class Validator : AbstractValidator<WithdrawStoreItem>
    {
        public Validator() => RuleFor(c => c.RecordedBy).Recorder();
    }
}

/// <summary>A station with its catalogue as it stands.</summary>
public sealed record StationResponse(Guid StationId, string Name, int PickupDays, IReadOnlyList<StoreItem> Items, int OrdersAwaitingPickup)
{
    public static StationResponse From(Station s) => new(s.Id, s.Name, s.PickupDays, s.Items, s.OpenOrders.Count);
}

public static class StationEndpoints
{
    [WolverinePost("/api/v1/communities/{community}/stations", Name = "OpenStation")]
    [RequiresRole(PartnerRole.Store)]
    [Tags("Store")]
    public static async Task<Results<Created<StationResponse>, ProblemHttpResult>> Open(string community, [NotBody] Community home, OpenStation command, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var opened = new StationOpened(Guid.CreateVersion7(), command.Name, command.PickupDays ?? 7, command.RecordedBy, clock.GetUtcNow());
        session.Events.StartStream<Station>(opened.StationId, opened);
        return TypedResults.Created($"/api/v1/communities/{community}/stations/{opened.StationId}", StationResponse.From(Station.Evolve(null, opened)!));
    }

    /// <summary>The community's stations in the order they were opened, a page at a time, each with its catalogue.</summary>
    [WolverineGet("/api/v1/communities/{community}/stations", Name = "ListStations")]
    [Tags("Store")]
    public static async Task<Results<Ok<Page<StationResponse>>, ProblemHttpResult>> List([NotBody] Community home, long? after, int? limit, IQuerySession session, CancellationToken cancellation)
    {
        var (refused, ids, next) = await CreationOrder.PageOfIdsAsync(session, after, limit, [typeof(StationOpened)], cancellation);
        if (refused is not null) return refused;
        var stations = (await session.LoadManyAsync<Station>(cancellation, ids)).ToDictionary(s => s.Id);
        return TypedResults.Ok(new Page<StationResponse>([.. ids.Where(stations.ContainsKey).Select(id => StationResponse.From(stations[id]))], next));
    }

    /// <summary>A station of the store and its catalogue (items, prices in points, stock); answers its stream version as the ETag.</summary>
    [WolverineGet("/api/v1/communities/{community}/stations/{stationId}", Name = "GetStation")]

    [VersionedResource]
    [Tags("Store")]
    public static async Task<Results<Ok<StationResponse>, ProblemHttpResult>> Get(string community, Guid stationId, HttpContext context, IQuerySession session, CancellationToken cancellation)
    {
        var station = await session.LoadAsync<Station>(stationId, cancellation);
        if (station is null) return await UnknownId.Station.AnswerAsync(session, community, cancellation);
        await StreamVersions.TagAsync(context, session, stationId, cancellation);
        return TypedResults.Ok(StationResponse.From(station));
    }

    [WolverinePost("/api/v1/communities/{community}/stations/{stationId}/items", Name = "AddStoreItem")]

    [VersionedResource]
    [RequiresRole(PartnerRole.Store)]
    [Tags("Store")]
    public static Task<Results<Ok<StationResponse>, ProblemHttpResult>> Add(string community, Guid stationId, AddStoreItem command, HttpContext context, IDocumentSession session, TimeProvider clock, CancellationToken cancellation) =>
        Change<StoreItemAdded>(context, session, community, stationId, cancellation, s => new StoreItemAdded(s.Id, Guid.CreateVersion7(), command.Name, command.Unit, command.PricePoints, command.Stock,
            command.RecordedBy, clock.GetUtcNow()));

    /// <summary>Change an item's price in points; orders already placed keep the price they were placed at.</summary>
    [WolverinePost("/api/v1/communities/{community}/stations/{stationId}/items/{itemId}/price", Name = "RepriceStoreItem")]

    [VersionedResource]
    [RequiresRole(PartnerRole.Store)]
    [Tags("Store")]
    public static Task<Results<Ok<StationResponse>, ProblemHttpResult>> Reprice(
        string community, Guid stationId, Guid itemId, RepriceStoreItem command, HttpContext context, IDocumentSession session, TimeProvider clock, CancellationToken cancellation) =>
        Change(context, session, community, stationId, cancellation, s => StationCatalogue.Reprice(s, itemId, command.PricePoints, command.RecordedBy, clock));

    /// <summary>Add stock of an item at the station.</summary>
    [WolverinePost("/api/v1/communities/{community}/stations/{stationId}/items/{itemId}/restock", Name = "RestockStoreItem")]

    [VersionedResource]
    [RequiresRole(PartnerRole.Store)]
    [Tags("Store")]
    public static Task<Results<Ok<StationResponse>, ProblemHttpResult>> Restock(
        string community, Guid stationId, Guid itemId, RestockStoreItem command, HttpContext context, IDocumentSession session, TimeProvider clock, CancellationToken cancellation) =>
        Change(context, session, community, stationId, cancellation, s => StationCatalogue.Restock(s, itemId, command.Quantity, command.RecordedBy, clock));

    /// <summary>Take an item out of the catalogue; orders already placed for it can still be picked up.</summary>
    [WolverinePost("/api/v1/communities/{community}/stations/{stationId}/items/{itemId}/withdrawal", Name = "WithdrawStoreItem")]

    [VersionedResource]
    [RequiresRole(PartnerRole.Store)]
    [Tags("Store")]
    public static Task<Results<Ok<StationResponse>, ProblemHttpResult>> Withdraw(
        string community, Guid stationId, Guid itemId, WithdrawStoreItem command, HttpContext context, IDocumentSession session, TimeProvider clock, CancellationToken cancellation) =>
        Change(context, session, community, stationId, cancellation, s => StationCatalogue.Withdraw(s, itemId, command.RecordedBy, clock));


    /// <summary>A catalogue change on the station's stream, answered with the station as changed.</summary>
    private static Task<Results<Ok<StationResponse>, ProblemHttpResult>> Change<TEvent>(
        HttpContext context, IDocumentSession session, string community, Guid stationId, CancellationToken cancellation, Func<Station, Decision<TEvent>> decide)
        where TEvent : class =>
        StreamChanges.ChangeAsync(
            context, session, stationId, () => UnknownId.Station.AnswerAsync(session, community, cancellation), decide, StationResponse.From, cancellation);
}
