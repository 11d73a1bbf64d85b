using System.Diagnostics;
using System.Runtime.CompilerServices;
using Marten;
using Npgsql;

namespace TimeBank.Api.Infrastructure.EventStore;

/// <summary>One row of the event log as stored: its JSON exactly as the database prints it (<c>data::text</c>), in UTF-8.</summary>
public sealed record StoredEvent(long Sequence, Guid Id, Guid StreamId, long Version, string Type, byte[] Json, DateTimeOffset Timestamp);

/// <summary>
/// Reads a community's event log row by row, in sequence order, in the community's own database: for the
/// readers that go through a whole history at once (the quarterly report, the audit replay), where loading
/// it through a session would hold all of it in memory. Works unchanged when communities get databases of their own.
/// </summary>
public static class EventLogReader
{
    /// <summary>
    /// How many communities' histories a whole-history reader goes through at once. Each is read on one
    /// connection and folded on one thread, and the database shares the machine: two keeps both cores of a
    /// small machine busy without holding more communities in memory than that.
    /// </summary>
    public const int CommunitiesAtOnce = 2;

    public static async IAsyncEnumerable<StoredEvent> ReadAsync(
        IDocumentStore store, string community, long throughSequence, [EnumeratorCancellation] CancellationToken cancellation)
    {
        var database = await store.Storage.FindOrCreateDatabase(community);
        await using var connection = database.CreateConnection();
        await connection.OpenAsync(cancellation);
        await using var command = new NpgsqlCommand(
            $"select seq_id, id, stream_id, version, type, data, timestamp from {Table(store)} where tenant_id = $1 and seq_id <= $2 order by seq_id", connection)
        {
            Parameters = { new() { Value = community }, new() { Value = throughSequence } },
        };
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            yield return new StoredEvent(
                reader.GetInt64(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetInt64(3), reader.GetString(4), reader.GetFieldValue<byte[]>(5), reader.GetFieldValue<DateTimeOffset>(6));
        }
    }

    /// <summary>The last sequence number appended, in every database of the store: what a reader that must not see later appends stops at.</summary>
    public static async Task<long> LastSequenceAsync(IDocumentStore store, CancellationToken cancellation)
    {
        long last = 0;
        foreach (var database in await store.Storage.AllDatabases())
        {
            await using var connection = database.CreateConnection();
            await connection.OpenAsync(cancellation);
            await using var command = new NpgsqlCommand($"select coalesce(max(seq_id), 0) from {Table(store)}", connection);
            last = Math.Max(last, (long)(await command.ExecuteScalarAsync(cancellation))!);
        }

        return last;
    }

    /// <summary>
    /// Waits, at most <paramref name="limit"/>, until every transaction running in the community's database when
    /// it was called has ended. Sequence numbers are taken before commit, so a write that began before an event
    /// committed can still commit events numbered below it; once those transactions are over, the log below
    /// that event no longer changes. False when they did not end in time.
    /// </summary>
    public static async Task<bool> WritersInFlightEndedAsync(IDocumentStore store, string community, TimeSpan limit, CancellationToken cancellation)
    {
        var database = await store.Storage.FindOrCreateDatabase(community);
        await using var connection = database.CreateConnection();
        await connection.OpenAsync(cancellation);
        await using var now = new NpgsqlCommand("select pg_current_snapshot()::text", connection);
        var snapshot = (string)(await now.ExecuteScalarAsync(cancellation))!;
        await using var ended = new NpgsqlCommand("select pg_snapshot_xmin(pg_current_snapshot()) >= pg_snapshot_xmax($1::pg_snapshot)", connection)
        {
            Parameters = { new() { Value = snapshot } },
        };
        var waiting = Stopwatch.StartNew();
        while (!(bool)(await ended.ExecuteScalarAsync(cancellation))!)
        {
            if (waiting.Elapsed > limit) return false;
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellation);
        }

        return true;
    }

    /// <summary>Every community (tenant) with a stream, in every database of the store, in code order.</summary>
    public static async Task<IReadOnlyList<string>> CommunitiesAsync(IDocumentStore store, CancellationToken cancellation)
    {
        var communities = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var database in await store.Storage.AllDatabases())
        {
            await using var connection = database.CreateConnection();
            await connection.OpenAsync(cancellation);
            await using var command = new NpgsqlCommand($"select distinct tenant_id from {store.Options.Events.DatabaseSchemaName}.mt_streams", connection);
            await using var reader = await command.ExecuteReaderAsync(cancellation);
            while (await reader.ReadAsync(cancellation)) communities.Add(reader.GetString(0));
        }

        return [.. communities];
    }

    /// <summary>
    /// Turns a stored row into its event, with the store's own serializer; null for a type this version of the
    /// service no longer knows.
    /// </summary>
    public static Func<StoredEvent, object?> Deserializer(IDocumentStore store)
    {
        var typesByName = store.Options.Events.AllKnownEventTypes().ToDictionary(t => t.EventTypeName, t => t.EventType, StringComparer.Ordinal);
        var serializer = store.Options.Serializer();
        return stored =>
        {
            if (!typesByName.TryGetValue(stored.Type, out var type)) return null;
            using var json = new MemoryStream(stored.Json, writable: false);
            return serializer.FromJson(type, json);
        };
    }

    private static string Table(IDocumentStore store) => $"{store.Options.Events.DatabaseSchemaName}.mt_events";
}
