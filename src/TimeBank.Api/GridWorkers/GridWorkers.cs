using FluentValidation;
using Marten;
using TimeBank.Api.Communities;
using TimeBank.Api.Infrastructure.EventStore;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.Partners;
using TimeBank.Api.People;
using TimeBank.Domain.Communities;
using TimeBank.Domain.GridWorkers;
using TimeBank.Domain.Partners;
using Wolverine.Http;

namespace TimeBank.Api.GridWorkers;

public static class GridWorkersConfiguration
{
    /// <summary>Inline: elders and pairing cards name a grid worker right after registering them.</summary>
    public static void ConfigureGridWorkers(this StoreOptions options) => options.AddInlineSnapshot<GridWorker>();
}

/// <summary>Register a grid worker (网格员) of the residents' committee.</summary>
/// <param name="Block">The block (网格) of households they look after.</param>
public sealed record RegisterGridWorker(string Name, string Phone, string? Block, string RecordedBy) : IExampleRequest<RegisterGridWorker>
{
    public static RegisterGridWorker Example => new("刘网格", "13900000009", "5 号楼", "office-01");

    public sealed class Validator : AbstractValidator<RegisterGridWorker>
    {
        public Validator()
        {
            RuleFor(c => c.Name).PersonName();
            RuleFor(c => c.Phone).NotEmpty().PhoneNumber();
            RuleFor(c => c.Block).MaximumLength(60);
            RuleFor(c => c.RecordedBy).Recorder();
        }
    }
}

/// <summary>A grid worker; name and phone are null once erased.</summary>
public sealed record GridWorkerResponse(Guid Id, string? Name, string? Phone, string? Block);

public static class GridWorkerEndpoints
{
    [WolverinePost("/api/v1/communities/{community}/grid-workers", Name = "RegisterGridWorker")]
    [RequiresRole(PartnerRole.Recorder)]
    [Tags("People")]
    public static async Task<Results<Created<GridWorkerResponse>, ProblemHttpResult>> Register(string community, [NotBody] Community home, RegisterGridWorker command, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var id = Guid.CreateVersion7();
        session.Events.StartStream<GridWorker>(id, new GridWorkerRegistered(id, command.Block, command.RecordedBy, clock.GetUtcNow()));
        session.Store(new PersonalDetails(id, PersonRole.GridWorker, command.Name, command.Phone));
        return TypedResults.Created($"/api/v1/communities/{community}/grid-workers/{id}", new GridWorkerResponse(id, command.Name, command.Phone, command.Block));
    }

    /// <summary>The community's grid workers in the order they were registered, a page at a time.</summary>
    [WolverineGet("/api/v1/communities/{community}/grid-workers", Name = "ListGridWorkers")]
    [Tags("People")]
    public static async Task<Results<Ok<Page<GridWorkerResponse>>, ProblemHttpResult>> List([NotBody] Community home, long? after, int? limit, IQuerySession session, CancellationToken cancellation)
    {
        var (refused, ids, next) = await CreationOrder.PageOfIdsAsync(session, after, limit, [typeof(GridWorkerRegistered)], cancellation);
        if (refused is not null) return refused;
        var workers = (await session.LoadManyAsync<GridWorker>(cancellation, ids)).ToDictionary(w => w.Id);
        var details = (await session.LoadManyAsync<PersonalDetails>(cancellation, ids)).ToDictionary(p => p.Id);
        var items = ids.Where(workers.ContainsKey)
            .Select(id => new GridWorkerResponse(id, details.GetValueOrDefault(id)?.Name, details.GetValueOrDefault(id)?.Phone, workers[id].Block))
            .ToList();
        return TypedResults.Ok(new Page<GridWorkerResponse>(items, next));
    }

    /// <summary>A grid worker of the community and the block they look after.</summary>
    [WolverineGet("/api/v1/communities/{community}/grid-workers/{gridWorkerId}", Name = "GetGridWorker")]
    [Tags("People")]
    public static async Task<Results<Ok<GridWorkerResponse>, ProblemHttpResult>> Get(string community, Guid gridWorkerId, IQuerySession session, CancellationToken cancellation)
    {
        var worker = await session.LoadAsync<GridWorker>(gridWorkerId, cancellation);
        var details = await session.LoadAsync<PersonalDetails>(gridWorkerId, cancellation);
        if (worker is not null) return TypedResults.Ok(new GridWorkerResponse(worker.Id, details?.Name, details?.Phone, worker.Block));
        return await UnknownId.GridWorker.AnswerAsync(session, community, cancellation);
    }
}
