using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Marten;
using Npgsql;
using TimeBank.Api.Infrastructure.EventStore;

namespace TimeBank.Api.Audit;

/// <summary>Which events to export: a community or all, and a range of sequence numbers or times (each end optional).</summary>
public sealed record ExportRange(string? Community, long? FromSequence, long? ToSequence, DateTimeOffset? From, DateTimeOffset? To);

/// <summary>The file's name, size and SHA-256.</summary>
public sealed record ExportedFile(string Name, long Bytes, string Sha256);

/// <summary>
/// What an export holds, for an auditor to check with ordinary tools: how many events, their first and last
/// sequence numbers and times, the hash of the last event of every stream in it (folded into one
/// <see cref="ChainHead"/>), and the file's own digest.
/// </summary>
public sealed record ExportManifest(
    ExportRange Range,
    long Events,
    long? FirstSequence,
    long? LastSequence,
    string? FirstTimestamp,
    string? LastTimestamp,
    int Streams,
    string ChainHead,
    string HashDefinition,
    ExportedFile File);

/// <summary>
/// Exports events as NDJSON, one event per line in sequence order, each line's fields in a fixed order with
/// the event's data last and exactly as stored, so that the hash of every line can be recomputed from the line
/// alone (see the README's "For auditors").
/// </summary>
public static class EventExport
{
    public const string EventsFile = "events.ndjson";
    public const string ManifestFile = "manifest.json";
    public const string CheckpointsFile = "checkpoints.json";

    private static readonly JsonSerializerOptions ManifestJson = new(JsonSerializerDefaults.Web) { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<ExportManifest> ExportAsync(IDocumentStore store, ExportRange range, string folder, CancellationToken cancellation)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, EventsFile);
        using var fileHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // Sorted as text, byte by byte, as `LC_ALL=C sort` sorts them.
        var heads = new SortedDictionary<string, (long Version, string Hash)>(StringComparer.Ordinal);
        long events = 0, bytes = 0;
        long? first = null, last = null;
        string? firstAt = null, lastAt = null;

        await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write))
        {
            var databases = range.Community is null ? await store.Storage.AllDatabases() : [await store.Storage.FindOrCreateDatabase(range.Community)];
            foreach (var database in databases)
            {
                await using var connection = database.CreateConnection();
                await connection.OpenAsync(cancellation);
                await using var command = Query(range, connection);
                await using var reader = await command.ExecuteReaderAsync(cancellation);
                while (await reader.ReadAsync(cancellation))
                {
                    var sequence = reader.GetInt64(0);
                    var community = reader.GetString(2);
                    var stream = reader.GetGuid(3);
                    var version = reader.GetInt64(4);
                    var timestamp = reader.GetString(6);
                    var hash = reader.GetString(10);
                    var line = new StringBuilder()
                        .Append("{\"seq\":").Append(sequence)
                        .Append(",\"id\":").Append(Text(reader.GetGuid(1).ToString()))
                        .Append(",\"community\":").Append(Text(community))
                        .Append(",\"streamId\":").Append(Text(stream.ToString()))
                        .Append(",\"version\":").Append(version)
                        .Append(",\"type\":").Append(Text(reader.GetString(5)))
                        .Append(",\"timestamp\":").Append(Text(timestamp))
                        .Append(",\"partnerKey\":").Append(Text(reader.IsDBNull(7) ? "" : reader.GetString(7)))
                        .Append(",\"correlationId\":").Append(Text(reader.IsDBNull(8) ? "" : reader.GetString(8)))
                        .Append(",\"previousHash\":").Append(Text(reader.GetString(9)))
                        .Append(",\"hash\":").Append(Text(hash))
                        .Append(",\"data\":").Append(reader.GetString(11))
                        .Append("}\n")
                        .ToString();
                    var encoded = Encoding.UTF8.GetBytes(line);
                    await file.WriteAsync(encoded, cancellation);
                    fileHash.AppendData(encoded);
                    bytes += encoded.Length;
                    events++;
                    first ??= sequence;
                    firstAt ??= timestamp;
                    (last, lastAt) = (sequence, timestamp);
                    heads[$"{community}|{stream}"] = (version, hash);
                }
            }
        }

        var chainHead = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Concat(heads.Select(h => $"{h.Key}|{h.Value.Version}|{h.Value.Hash}\n")))));
        var manifest = new ExportManifest(range, events, first, last, firstAt, lastAt, heads.Count, chainHead, EventChain.HashDefinition,
            new ExportedFile(EventsFile, bytes, Convert.ToHexStringLower(fileHash.GetHashAndReset())));
        await File.WriteAllTextAsync(Path.Combine(folder, ManifestFile), JsonSerializer.Serialize(manifest, ManifestJson) + "\n", cancellation);
        // The signed checkpoints as they stand, so an auditor can keep them with the export and check its chain head.
        await File.WriteAllTextAsync(Path.Combine(folder, CheckpointsFile), JsonSerializer.Serialize(await Checkpoints.ListAsync(store, cancellation), ManifestJson) + "\n", cancellation);
        return manifest;
    }

    /// <summary>The events of the range with their links, in sequence order; the time as the chain hashes it.</summary>
    private static NpgsqlCommand Query(ExportRange range, NpgsqlConnection connection)
    {
        const string schema = EventStoreSetup.SchemaName;
        var command = new NpgsqlCommand { Connection = connection };
        // Marten's tombstones (sequence numbers a rolled-back write left unused) hold no fact and have no link.
        var where = new List<string> { $"e.type <> '{EventChain.TombstoneType}'" };
        void Filter(string condition, object value)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
            where.Add(condition.Replace("?", $"${command.Parameters.Count}", StringComparison.Ordinal));
        }

        if (range.Community is { } community) Filter("e.tenant_id = ?", community);
        if (range.FromSequence is { } fromSequence) Filter("e.seq_id >= ?", fromSequence);
        if (range.ToSequence is { } toSequence) Filter("e.seq_id <= ?", toSequence);
        if (range.From is { } from) Filter("e.timestamp >= ?", from.ToUniversalTime());
        if (range.To is { } to) Filter("e.timestamp <= ?", to.ToUniversalTime());
        command.CommandText = $"""
            select e.seq_id, e.id, e.tenant_id, e.stream_id, e.version, e.type, {schema}.tb_event_time(e.timestamp),
                   e.headers ->> 'partner-key', e.correlation_id, coalesce(l.previous_hash, ''), coalesce(l.hash, ''), e.data::text
            from {schema}.mt_events e left join {schema}.tb_event_links l on l.seq_id = e.seq_id
            where {string.Join(" and ", where)}
            order by e.seq_id
            """;
        return command;
    }

    private static string Text(string value) => JsonSerializer.Serialize(value);
}
