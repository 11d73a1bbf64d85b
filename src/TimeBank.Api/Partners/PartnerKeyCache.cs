using System.Collections.Concurrent;
using System.Diagnostics;
using JasperFx.Events;
using Marten;
using Marten.Services;
using Npgsql;
using TimeBank.Domain.Partners;

namespace TimeBank.Api.Partners;

/// <summary>
/// The partner keys this node has read, so that a request's access check costs no round trip to the database.
/// Every change to a key (issued, revoked) notifies the channel <see cref="Channel"/> in the transaction that
/// makes it (<see cref="PartnerKeyChangeNotices"/>); PostgreSQL delivers the notice to every node's listener when
/// that transaction commits, and the node forgets the key. The cache is trusted only while the listener is known
/// to be connected: it confirms its connection every half second (reading the notices that came meanwhile), and a node whose listener has not confirmed
/// within <see cref="TrustedFor"/> reads keys from the database until it has reconnected (and then starts from
/// an empty cache, since notices sent while it was away are lost). So a revocation is honoured on every node
/// within a second, with or without the listener.
/// </summary>
public sealed class PartnerKeyCache : BackgroundService
{
    public const string Channel = "timebank_partner_keys";

    /// <summary>How long after its last confirmation the listener is still believed connected.</summary>
    public static readonly TimeSpan TrustedFor = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan ConfirmEvery = TimeSpan.FromMilliseconds(500);

    /// <summary>A bound on what is held: far more keys than a county issues; past it the cache starts again.</summary>
    private const int MaxKeys = 10_000;

    private readonly ConcurrentDictionary<Guid, PartnerKey> _keys = new();
    /// <summary>Until when (a <see cref="Stopwatch"/> timestamp: the listener's liveness is real time, whatever the ledger's clock says).</summary>
    private long _trustedUntil;

    /// <summary>Moves on with every notice and every reconnection: a key read before a move is not kept after it.</summary>
    private long _generation;

    private readonly NpgsqlDataSource _database;
    private readonly ILogger<PartnerKeyCache> _logger;

    public PartnerKeyCache(NpgsqlDataSource database, ILogger<PartnerKeyCache> logger)
    {
        _database = database;
        _logger = logger;
        // The node that changes a key forgets it as soon as the change commits, not when the notice comes round:
        // the partner's next request, wherever it lands on this node, sees the change.
        PartnerKeyChangeNotices.Committed += Forget;
    }

    public override void Dispose()
    {
        PartnerKeyChangeNotices.Committed -= Forget;
        base.Dispose();
    }

    /// <summary>The key with this id, from the cache while it is trusted, else from the database (and kept); null when there is none.</summary>
    public async Task<PartnerKey?> FindAsync(Guid keyId, IDocumentStore store, CancellationToken cancellation)
    {
        var trusted = IsTrusted;
        if (trusted && _keys.TryGetValue(keyId, out var known)) return known;

        var generation = Interlocked.Read(ref _generation);
        PartnerKey? key;
        await using (var session = store.QuerySession())
        {
            key = await session.LoadAsync<PartnerKey>(keyId, cancellation);
        }

        // Kept only if no notice came while it was read: a revocation committed meanwhile may not be in what was read.
        if (key is not null && trusted && Interlocked.Read(ref _generation) == generation)
        {
            if (_keys.Count >= MaxKeys) _keys.Clear();
            _keys[keyId] = key;
        }

        return key;
    }

    private bool IsTrusted => Stopwatch.GetTimestamp() < Interlocked.Read(ref _trustedUntil);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stopping);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                Forget();
                _logger.LogWarning("The partner keys' listener lost its connection ({Error}); keys are read from the database until it is back", e.GetType().Name);
                await Task.Delay(TimeSpan.FromSeconds(1), stopping).ContinueWith(_ => { }, TaskScheduler.Default);
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }
    }

    private async Task ListenAsync(CancellationToken stopping)
    {
        await using var connection = await _database.OpenConnectionAsync(stopping);
        connection.Notification += (_, notice) =>
        {
            if (Guid.TryParse(notice.Payload, out var keyId)) Forget(keyId);
            else Forget();
        };
        await using (var listen = new NpgsqlCommand($"listen {Channel}", connection)) await listen.ExecuteNonQueryAsync(stopping);

        // Whatever changed while no one listened is unknown: start empty.
        Forget();
        await using var confirm = new NpgsqlCommand("select 1", connection) { CommandTimeout = 1 };
        while (!stopping.IsCancellationRequested)
        {
            // Notices that came in meanwhile are read (and handled) with the answer, before it.
            await confirm.ExecuteScalarAsync(stopping);
            Interlocked.Exchange(ref _trustedUntil, Stopwatch.GetTimestamp() + (long)(TrustedFor.TotalSeconds * Stopwatch.Frequency));
            // Not connection.WaitAsync(timeout): Npgsql ends that wait by throwing and catching a timeout, five
            // exceptions each time, ten a second for nothing. A notice waits at most this long in the socket.
            await Task.Delay(ConfirmEvery, stopping);
        }
    }

    private void Forget(Guid keyId)
    {
        Interlocked.Increment(ref _generation);
        _keys.TryRemove(keyId, out PartnerKey? _);
    }

    private void Forget()
    {
        Interlocked.Exchange(ref _trustedUntil, 0);
        Interlocked.Increment(ref _generation);
        _keys.Clear();
    }
}

/// <summary>Adds to every write that changes a partner key the notice that makes every node forget it (<see cref="PartnerKeyCache"/>).</summary>
public sealed class PartnerKeyChangeNotices : DocumentSessionListenerBase
{
    /// <summary>A key changed by a write of this process has committed (the caches of this process forget it at once).</summary>
    public static event Action<Guid>? Committed;

    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        foreach (var keyId in ChangedKeys(session.PendingChanges.Streams()))
        {
            session.QueueSqlCommand("select pg_notify(?, ?)", PartnerKeyCache.Channel, keyId.ToString());
        }

        return Task.CompletedTask;
    }

    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        if (Committed is { } committed)
        {
            foreach (var keyId in commit.GetEvents().Where(e => e.Data is PartnerKeyIssued or PartnerKeyRevoked).Select(e => e.StreamId).Distinct()) committed(keyId);
        }

        return Task.CompletedTask;
    }

    private static IEnumerable<Guid> ChangedKeys(IEnumerable<StreamAction> streams) =>
        streams.Where(s => s.Events.Any(e => e.Data is PartnerKeyIssued or PartnerKeyRevoked)).Select(s => s.Id);
}
