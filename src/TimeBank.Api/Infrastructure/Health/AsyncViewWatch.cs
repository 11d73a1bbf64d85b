using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Marten;
using Microsoft.Extensions.Options;
using TimeBank.Api.Infrastructure.Settings;
using TimeBank.Api.Infrastructure.Telemetry;
using Wolverine.Runtime;

namespace TimeBank.Api.Infrastructure.Health;

/// <summary>
/// Reads every few seconds how far each async view has come against the last event appended, and remembers
/// since when each has stood still while behind. The lag is published as a metric; readiness asks
/// <see cref="StalledHere"/>: a view is stalled when it is behind and has not moved for the configured time,
/// and it counts for this node only when Wolverine runs its agent here (each async view runs on one node).
/// </summary>
public sealed class AsyncViewWatch : BackgroundService
{
    private const string HighWaterMark = "HighWaterMark";

    private readonly IDocumentStore _store;
    private readonly IWolverineRuntime _wolverine;
    private readonly TimeProvider _clock;
    private readonly HealthSettings _settings;
    private readonly ILogger<AsyncViewWatch> _logger;
    private readonly ConcurrentDictionary<string, ViewProgress> _views = new(StringComparer.Ordinal);
    private readonly Lazy<HashSet<string>> _asyncShards;

    public AsyncViewWatch(IDocumentStore store, IWolverineRuntime wolverine, TimeProvider clock, IOptions<TimeBankSettings> settings,
        IMeterFactory meters, ILogger<AsyncViewWatch> logger)
    {
        _store = store;
        _wolverine = wolverine;
        _clock = clock;
        _settings = settings.Value.Health;
        _logger = logger;
        _asyncShards = new(() => [.. ((DocumentStore)store).Options.Projections.AllShards().Select(shard => shard.Name.Identity)]);
        meters.Create(TimeBankMetrics.MeterName).CreateObservableGauge("timebank.async_view.lag",
            () => _views.Select(v => new Measurement<long>(v.Value.Lag, new KeyValuePair<string, object?>("projection", v.Key))),
            "{event}", "Events appended but not yet taken in by the async view, by projection shard.");
    }

    /// <summary>One async view as last read: its sequence, how far behind, and when it last moved (or caught up).</summary>
    public sealed record ViewProgress(long Sequence, long Lag, DateTimeOffset MovedAt);

    public IReadOnlyDictionary<string, ViewProgress> Views => _views;

    /// <summary>The async views run on this node that are behind and have not moved within the stall time.</summary>
    public IReadOnlyList<string> StalledHere()
    {
        var now = _clock.GetUtcNow();
        var running = RunningHere();
        return [.. _views
            .Where(v => v.Value.Lag > 0 && now - v.Value.MovedAt >= _settings.AsyncViewStall)
            .Where(v => running.Any(uri => uri.Contains(ProjectionOf(v.Key), StringComparison.OrdinalIgnoreCase)))
            .Select(v => v.Key)];
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_settings.AsyncViewPoll, _clock);
        do
        {
            try
            {
                await ReadAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database's own check says it is out of reach; the views keep their last reading.
                _logger.LogDebug(e, "Could not read the async views' progress");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task ReadAsync(CancellationToken cancellation)
    {
        var progress = await _store.Advanced.AllProjectionProgress(token: cancellation);
        var last = progress.FirstOrDefault(p => p.ShardName == HighWaterMark)?.Sequence ?? 0;
        var now = _clock.GetUtcNow();
        // Only the views' shards: Marten keeps rows of its own beside them (where a stuck gap was seen, the allocation
        // fence) that stand still by design and would read as a view ever further behind.
        foreach (var shard in progress.Where(p => _asyncShards.Value.Contains(p.ShardName)))
        {
            var lag = Math.Max(0, last - shard.Sequence);
            _views.AddOrUpdate(shard.ShardName, new ViewProgress(shard.Sequence, lag, now),
                (_, before) => before.Sequence != shard.Sequence || lag == 0 ? new ViewProgress(shard.Sequence, lag, now) : before with { Lag = lag });
        }
    }

    private string[] RunningHere()
    {
        try
        {
            return [.. _wolverine.Agents.AllRunningAgentUris().Select(u => u.ToString())];
        }
        catch (Exception e) when (e is InvalidOperationException or NullReferenceException)
        {
            return []; // agents not started (yet): nothing runs here
        }
    }

    /// <summary>"CareDay:All" is the shard of the projection "CareDay".</summary>
    private static string ProjectionOf(string shardName) => shardName.Split(':')[0];
}
