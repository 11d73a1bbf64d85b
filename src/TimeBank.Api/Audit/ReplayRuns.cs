using FluentValidation;
using Marten;
using Npgsql;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.Partners;
using TimeBank.Domain.Partners;
using Wolverine;
using Wolverine.Http;

namespace TimeBank.Api.Audit;

/// <summary>Ask for a replay of every view, of one community or all.</summary>
public sealed record StartReplay(string? Community, string RecordedBy) : IExampleRequest<StartReplay>
{
    public static StartReplay Example => new("taiyuan-yingze-01", "auditor-01");

    public sealed class Validator : AbstractValidator<StartReplay>
    {
        public Validator()
        {
            RuleFor(c => c.Community).Must(c => c is null || Domain.Communities.CommunityCode.IsValid(c)).WithMessage("Name a community by its code, or none for all.");
            RuleFor(c => c.RecordedBy).Recorder();
        }
    }
}

/// <summary>
/// A replay and where it stands: kept as a document, so that any node can run it and any node can answer how
/// far it got.
/// </summary>
public sealed record ReplayRun(
    Guid Id, string? Community, string RequestedBy, DateTimeOffset RequestedAt, string Status, IReadOnlyList<string> Progress, ReplayResult? Result, DateTimeOffset? FinishedAt)
{
    public const string Waiting = "waiting";
    public const string Running = "running";
    public const string Finished = "finished";
    public const string Failed = "failed";
}

/// <summary>The message that runs a replay, on whichever node takes it from the durable queue.</summary>
public sealed record RunReplay(Guid RunId);

public static class ReplayRunEndpoints
{
    /// <summary>Starts a replay: every view folded again from the log and compared with the live one; answers where to follow it.</summary>
    [WolverinePost("/api/v1/audit/replays", Name = "StartReplay")]
    [RequiresRole(PartnerRole.Auditor)]
    [AllCommunities]
    [Tags("Audit")]
    public static async Task<Accepted<ReplayRun>> Start(StartReplay command, IDocumentSession session, IMessageBus bus, TimeProvider clock)
    {
        var run = new ReplayRun(Guid.CreateVersion7(), command.Community, command.RecordedBy, clock.GetUtcNow(), ReplayRun.Waiting, [], null, null);
        session.Store(run);
        await bus.PublishAsync(new RunReplay(run.Id));
        return TypedResults.Accepted($"/api/v1/audit/replays/{run.Id}", run);
    }

    /// <summary>How a replay started by an auditor stands: running, or its result view by view (live and replayed documents, and any difference).</summary>
    [WolverineGet("/api/v1/audit/replays/{runId}", Name = "GetReplay")]
    [RequiresRole(PartnerRole.Auditor)]
    [AllCommunities]
    [Tags("Audit")]
    public static async Task<Results<Ok<ReplayRun>, ProblemHttpResult>> Get(Guid runId, IQuerySession session, CancellationToken cancellation) =>
        await session.LoadAsync<ReplayRun>(runId, cancellation) is { } run
            ? TypedResults.Ok(run)
            : ProblemResponses.NotFound("unknown-replay", "No replay with this id.");
}

public static class RunReplayHandler
{
    public static async Task Handle(RunReplay message, IDocumentStore store, TimeProvider clock, ILogger<RunReplay> logger, CancellationToken cancellation)
    {
        async Task Update(Func<ReplayRun, ReplayRun> change)
        {
            await using var session = store.LightweightSession();
            if (await session.LoadAsync<ReplayRun>(message.RunId, cancellation) is not { } run) return;
            session.Store(change(run));
            await session.SaveChangesAsync(cancellation);
        }

        await using (var first = store.QuerySession())
        {
            if (await first.LoadAsync<ReplayRun>(message.RunId, cancellation) is not { Status: ReplayRun.Waiting } waiting) return;
            await Update(r => r with { Status = ReplayRun.Running });
            var progress = new SavedProgress(line => Update(r => r with { Progress = [.. r.Progress, line] }).GetAwaiter().GetResult());
            try
            {
                var result = await ProjectionReplay.RunAsync(store, waiting.Community, progress, cancellation);
                logger.LogInformation("Replay {RunId} of {Community}: {Events} events, equal: {Equal}", message.RunId, waiting.Community ?? "all", result.Events, result.Equal);
                await Update(r => r with { Status = ReplayRun.Finished, Result = result, FinishedAt = clock.GetUtcNow() });
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                logger.LogError(e, "Replay {RunId} failed", message.RunId);
                await Update(r => r with { Status = ReplayRun.Failed, Progress = [.. r.Progress, $"Failed: {e.GetType().Name}"], FinishedAt = clock.GetUtcNow() });
            }
        }
    }

    /// <summary>Reports progress as it happens, on the replay's own thread (not posted elsewhere as Progress&lt;T&gt; would).</summary>
    private sealed class SavedProgress(Action<string> save) : IProgress<string>
    {
        public void Report(string value) => save(value);
    }
}

public static class ReplayConfiguration
{
    /// <summary>Replays are for the whole service, outside any community: kept in the default tenant.</summary>
    public static void ConfigureAudit(this StoreOptions options) => options.Schema.For<ReplayRun>();
}
