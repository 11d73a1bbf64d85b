using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Marten;
using Npgsql;
using TimeBank.Api.Infrastructure.EventStore;

namespace TimeBank.Api.Audit;

/// <summary>
/// Anchored checkpoints. The chain alone shows an edit only to someone who cannot recompute the links; a
/// database administrator can. So the service signs, from time to time, what the chain then was: the last
/// sequence number it covers, the head of every stream (as the export's chain head), and a digest of the link of
/// every event appended since the checkpoint before, whose hashes it keeps beside it. The signing key is never in
/// the database (a PEM file or an environment variable), so whoever rewrites the log cannot sign a checkpoint that
/// agrees with the rewrite, and an auditor holding the public key and the checkpoints catches it: an event whose
/// hash is no longer the one signed is named.
/// <para>
/// A checkpoint covers only events below the store's high-water mark, where every sequence number is committed or
/// never will be, so no write still in flight can later land inside a range already signed.
/// </para>
/// </summary>
public static class Checkpoints
{
    public const string Table = "tb_checkpoints";
    public const string LinksTable = "tb_checkpoint_links";

    /// <summary>Where a checkpoint's statement says what it is; an auditor checks the signature over the statement's UTF-8 bytes.</summary>
    public const string Format = "timebank-checkpoint/1";

    private const string Schema = EventStoreSetup.SchemaName;

    public static readonly string Ddl = $"""
        create table if not exists {Schema}.{Table} (
            number bigint primary key,
            made_at timestamptz not null,
            last_sequence bigint not null,
            streams bigint not null,
            chain_head char(64) not null,
            links_digest char(64) not null,
            key_id char(64) not null,
            statement text not null,
            signature text not null);
        create table if not exists {Schema}.{LinksTable} (
            seq_id bigint primary key,
            checkpoint bigint not null,
            tenant_id varchar not null,
            hash char(64) not null);
        """;

    public sealed record Checkpoint(
        long Number, DateTimeOffset MadeAt, long LastSequence, long Streams, string ChainHead, string LinksDigest, string KeyId, string Statement, string Signature);

    /// <summary>Every checkpoint, oldest first.</summary>
    public static async Task<IReadOnlyList<Checkpoint>> ListAsync(NpgsqlConnection connection, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(
            $"select number, made_at, last_sequence, streams, chain_head, links_digest, key_id, statement, signature from {Schema}.{Table} order by number", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var list = new List<Checkpoint>();
        while (await reader.ReadAsync(cancellation))
        {
            list.Add(new Checkpoint(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetString(4),
                reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.GetString(8)));
        }

        return list;
    }

    public static async Task<IReadOnlyList<Checkpoint>> ListAsync(IDocumentStore store, CancellationToken cancellation)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellation);
        return await ListAsync(connection, cancellation);
    }

    /// <summary>
    /// Signs the chain as it stands up to the high-water mark; null when nothing was appended since the last
    /// checkpoint. Two nodes making one at once take turns (an advisory lock) and the second finds nothing new.
    /// </summary>
    public static async Task<Checkpoint?> MakeAsync(IDocumentStore store, CheckpointKey key, TimeProvider clock, CancellationToken cancellation)
    {
        var signer = key.Signer ?? throw new InvalidOperationException($"No checkpoint signing key: set {CheckpointKey.FileSetting} or {CheckpointKey.PemSetting} (README: For auditors).");
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellation);
        await using var transaction = await connection.BeginTransactionAsync(cancellation);
        await using (var turn = new NpgsqlCommand("select pg_advisory_xact_lock(7340102)", connection, transaction)) await turn.ExecuteNonQueryAsync(cancellation);

        var progress = await store.Advanced.AllProjectionProgress(token: cancellation);
        var settled = progress.FirstOrDefault(p => p.ShardName == "HighWaterMark")?.Sequence ?? 0;
        long previousNumber = 0, previousSequence = 0;
        await using (var last = new NpgsqlCommand($"select number, last_sequence from {Schema}.{Table} order by number desc limit 1", connection, transaction))
        await using (var reader = await last.ExecuteReaderAsync(cancellation))
        {
            if (await reader.ReadAsync(cancellation)) (previousNumber, previousSequence) = (reader.GetInt64(0), reader.GetInt64(1));
        }

        if (settled <= previousSequence) return null;
        var number = previousNumber + 1;

        // The links appended since the checkpoint before, kept beside it: what the signature vouches for, event by event.
        await using (var keep = new NpgsqlCommand($"""
            insert into {Schema}.{LinksTable} (seq_id, checkpoint, tenant_id, hash)
            select seq_id, $1, tenant_id, hash from {Schema}.tb_event_links where seq_id > $2 and seq_id <= $3
            """, connection, transaction) { Parameters = { new() { Value = number }, new() { Value = previousSequence }, new() { Value = settled } } })
        {
            await keep.ExecuteNonQueryAsync(cancellation);
        }

        var linksDigest = await LinksDigestAsync(connection, transaction, number, cancellation);
        var (streams, chainHead) = await ChainHeadAsync(connection, transaction, settled, cancellation);
        var madeAt = clock.GetUtcNow();
        var statement = Statement(number, madeAt, previousSequence, settled, streams, chainHead, linksDigest);
        var signature = Convert.ToBase64String(signer.SignData(Encoding.UTF8.GetBytes(statement), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        var checkpoint = new Checkpoint(number, madeAt, settled, streams, chainHead, linksDigest, key.KeyId!, statement, signature);
        await using (var insert = new NpgsqlCommand($"""
            insert into {Schema}.{Table} (number, made_at, last_sequence, streams, chain_head, links_digest, key_id, statement, signature)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """, connection, transaction)
        {
            Parameters =
            {
                new() { Value = number }, new() { Value = madeAt }, new() { Value = settled }, new() { Value = streams }, new() { Value = chainHead },
                new() { Value = linksDigest }, new() { Value = checkpoint.KeyId }, new() { Value = statement }, new() { Value = signature },
            },
        })
        {
            await insert.ExecuteNonQueryAsync(cancellation);
        }

        await transaction.CommitAsync(cancellation);
        return checkpoint;
    }

    /// <summary>The text that is signed; every figure an auditor can recompute from an export.</summary>
    private static string Statement(long number, DateTimeOffset madeAt, long fromSequence, long lastSequence, long streams, string chainHead, string linksDigest) =>
        string.Create(CultureInfo.InvariantCulture, $"""
            {Format}
            number: {number}
            made-at: {madeAt.UtcDateTime:yyyy-MM-ddTHH:mm:ss.ffffffZ}
            links-after-sequence: {fromSequence}
            last-sequence: {lastSequence}
            streams: {streams}
            chain-head: {chainHead}
            links-digest: {linksDigest}

            """);

    /// <summary>SHA-256 over "sequence|hash\n" of every link the checkpoint keeps, in sequence order.</summary>
    private static async Task<string> LinksDigestAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long number, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand($"select seq_id, hash from {Schema}.{LinksTable} where checkpoint = $1 order by seq_id", connection, transaction)
        {
            Parameters = { new() { Value = number } },
        };
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation)) hash.AppendData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{reader.GetInt64(0)}|{reader.GetString(1)}\n")));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// The last link of every stream up to <paramref name="lastSequence"/>, as "community|streamId|version|hash\n",
    /// sorted by byte, hashed: the export's chain head, so an export up to the same sequence shows the same figure.
    /// </summary>
    private static async Task<(long Streams, string Head)> ChainHeadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long lastSequence, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand($"""
            select line from (
                select distinct on (tenant_id, stream_id) tenant_id || '|' || stream_id::text || '|' || version::text || '|' || hash as line
                from {Schema}.tb_event_links where seq_id <= $1 order by tenant_id, stream_id, version desc) heads
            order by line collate "C"
            """, connection, transaction) { Parameters = { new() { Value = lastSequence } } };
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long streams = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(reader.GetString(0) + "\n"));
            streams++;
        }

        return (streams, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>
    /// Checks the log against every checkpoint: each one's signature with the public key given to this process
    /// (never one read from the database), its place in the series, the digest of the links it keeps, and then
    /// every event it covers against the hash it signed. Answers each break found, by sequence number.
    /// </summary>
    public static async Task<(Checkpoint? Latest, IReadOnlyList<EventChain.BrokenLink> Broken)> VerifyAsync(
        NpgsqlConnection connection, CheckpointKey key, string? community, CancellationToken cancellation)
    {
        var checkpoints = await ListAsync(connection, cancellation);
        var broken = new List<EventChain.BrokenLink>();
        if (checkpoints.Count == 0) return (null, broken);
        if (key.Verifier is not { } verifier)
        {
            throw new InvalidOperationException($"Checkpoints are kept, but no key to check them with: set {CheckpointKey.PublicFileSetting} (or the signing key).");
        }

        long expectedNumber = 1, previousSequence = 0;
        foreach (var checkpoint in checkpoints)
        {
            EventChain.BrokenLink Break(string problem) => new(checkpoint.LastSequence, null, null, null, $"checkpoint {checkpoint.Number}: {problem}");
            var signedOk = checkpoint.KeyId == key.KeyId
                && verifier.VerifyData(Encoding.UTF8.GetBytes(checkpoint.Statement), Convert.FromBase64String(checkpoint.Signature), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
            if (!signedOk) broken.Add(Break("its signature does not verify with the checkpoint key: it was not made by the service"));
            else if (checkpoint.Number != expectedNumber) broken.Add(Break($"checkpoint {expectedNumber} is missing: checkpoints were removed"));
            else if (checkpoint.Statement != Statement(checkpoint.Number, checkpoint.MadeAt, previousSequence, checkpoint.LastSequence, checkpoint.Streams, checkpoint.ChainHead, checkpoint.LinksDigest))
            {
                broken.Add(Break("its figures are not those it signed"));
            }
            else if (await LinksDigestAsync(connection, null, checkpoint.Number, cancellation) != checkpoint.LinksDigest)
            {
                broken.Add(Break("the links it keeps are not those it signed: they were changed"));
            }

            (expectedNumber, previousSequence) = (checkpoint.Number + 1, checkpoint.LastSequence);
        }

        var latest = checkpoints[^1];
        var only = community is null ? "" : "and coalesce(e.tenant_id, c.tenant_id) = $2";
        await using var events = new NpgsqlCommand($"""
            select coalesce(e.seq_id, c.seq_id), coalesce(e.tenant_id, c.tenant_id), e.stream_id, e.version, c.checkpoint, c.hash is null, e.seq_id is null
            from {Schema}.mt_events e
            full join {Schema}.{LinksTable} c on c.seq_id = e.seq_id
            left join {Schema}.tb_event_links l on l.seq_id = e.seq_id
            where coalesce(e.seq_id, c.seq_id) <= $1 and (e.seq_id is null or c.seq_id is not null or e.type <> '{EventChain.TombstoneType}') {only}
              and (c.hash is null or e.seq_id is null or l.hash is distinct from c.hash
                   or {Schema}.tb_event_hash(l.previous_hash, e.tenant_id, e.stream_id, e.version, e.type, e.timestamp, e.headers ->> 'partner-key', e.correlation_id, e.data) <> c.hash)
            order by 1
            """, connection);
        events.Parameters.Add(new() { Value = latest.LastSequence });
        if (community is not null) events.Parameters.Add(new() { Value = community });
        await using var reader = await events.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            var sequence = reader.GetInt64(0);
            var tenant = reader.IsDBNull(1) ? null : reader.GetString(1);
            Guid? stream = reader.IsDBNull(2) ? null : reader.GetGuid(2);
            long? version = reader.IsDBNull(3) ? null : reader.GetInt64(3);
            var problem = reader.GetBoolean(5)
                ? $"the event is not among those checkpoint {latest.Number} signed up to sequence {latest.LastSequence}: it was put into the log afterwards"
                : reader.GetBoolean(6)
                    ? $"the event signed in checkpoint {reader.GetInt64(4)} is gone from the log: it was deleted"
                    : $"the event no longer has the hash signed in checkpoint {reader.GetInt64(4)}: it was changed after the checkpoint";
            broken.Add(new EventChain.BrokenLink(sequence, tenant, stream, version, problem));
        }

        return (latest, broken);
    }
}

/// <summary>
/// The checkpoint key, never kept in the database: an ECDSA P-256 private key in PEM, from a file
/// (<c>TIMEBANK_CHECKPOINT_KEY_FILE</c>) or the environment (<c>TIMEBANK_CHECKPOINT_KEY</c>); or, for an auditor
/// who only checks, the public key alone (<c>TIMEBANK_CHECKPOINT_PUBLIC_KEY_FILE</c>). Its id is the SHA-256 of the
/// public key (SubjectPublicKeyInfo, DER), as <c>openssl pkey -pubin -outform der | sha256sum</c> prints it.
/// </summary>
public sealed class CheckpointKey
{
    public const string FileSetting = "TIMEBANK_CHECKPOINT_KEY_FILE";
    public const string PemSetting = "TIMEBANK_CHECKPOINT_KEY";
    public const string PublicFileSetting = "TIMEBANK_CHECKPOINT_PUBLIC_KEY_FILE";

    private CheckpointKey(ECDsa? signer, ECDsa? verifier)
    {
        Signer = signer;
        Verifier = verifier;
        if (verifier is not null) KeyId = Convert.ToHexStringLower(SHA256.HashData(verifier.ExportSubjectPublicKeyInfo()));
    }

    public ECDsa? Signer { get; }

    public ECDsa? Verifier { get; }

    public string? KeyId { get; }

    /// <summary>The public key in PEM, for auditors to keep.</summary>
    public string? PublicKeyPem => Verifier?.ExportSubjectPublicKeyInfoPem();

    public static CheckpointKey From(IConfiguration configuration)
    {
        var pem = configuration[PemSetting];
        if (string.IsNullOrWhiteSpace(pem) && configuration[FileSetting] is { Length: > 0 } file) pem = File.ReadAllText(file);
        if (!string.IsNullOrWhiteSpace(pem))
        {
            var signer = ECDsa.Create();
            signer.ImportFromPem(pem);
            return new CheckpointKey(signer, signer);
        }

        if (configuration[PublicFileSetting] is { Length: > 0 } publicFile)
        {
            var verifier = ECDsa.Create();
            verifier.ImportFromPem(File.ReadAllText(publicFile));
            return new CheckpointKey(null, verifier);
        }

        return new CheckpointKey(null, null);
    }

    /// <summary>A new P-256 private key in PEM (PKCS#8), for <c>audit checkpoint-key</c>.</summary>
    public static string NewPrivateKeyPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem();
    }
}

/// <summary>
/// Makes a checkpoint every <c>TIMEBANK_CHECKPOINT_MINUTES</c> (10 by default; 0 turns the schedule off) when a
/// signing key is configured. Every node runs it; they take turns, and a turn with nothing new signs nothing.
/// </summary>
public sealed class CheckpointSchedule(IDocumentStore store, CheckpointKey key, TimeProvider clock, IConfiguration configuration, ILogger<CheckpointSchedule> logger)
    : BackgroundService
{
    public const string MinutesSetting = "TIMEBANK_CHECKPOINT_MINUTES";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var minutes = configuration.GetValue(MinutesSetting, 10);
        if (minutes <= 0) return;
        if (key.Signer is null)
        {
            logger.LogWarning("No checkpoint signing key is configured ({Setting}): the chain is not anchored", CheckpointKey.FileSetting);
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(minutes), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await Checkpoints.MakeAsync(store, key, clock, stoppingToken) is { } made)
                {
                    logger.LogInformation("Checkpoint {Number} signed up to sequence {Sequence}", made.Number, made.LastSequence);
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(e, "Could not make a checkpoint; the next one covers this one's events");
            }
        }
    }
}

public static class CheckpointConfiguration
{
    public static IServiceCollection AddCheckpoints(this IServiceCollection services) =>
        services.AddSingleton(provider => CheckpointKey.From(provider.GetRequiredService<IConfiguration>()))
            .AddHostedService<CheckpointSchedule>();
}
