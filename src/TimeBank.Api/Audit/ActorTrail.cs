using Marten;
using Npgsql;
using TimeBank.Api.Infrastructure.EventStore;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.Partners;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Partners;
using Wolverine.Http;

namespace TimeBank.Api.Audit;

/// <summary>
/// One action in the ledger: the event it appended, when, by which partner key (and partner), by which person
/// (the <c>…By</c> the request named, e.g. <c>recordedBy</c>), in which request (correlation id).
/// </summary>
public sealed record ActorAction(long Sequence, DateTimeOffset At, string Type, Guid StreamId, Guid? PartnerKey, string? Partner, string? Person, string? CorrelationId);

public static class ActorTrail
{
    /// <summary>
    /// Every action of one partner key or one person in a community, in log order, optionally within a period
    /// (times with their offset), paged by sequence number. It reads the community's events; an auditor's query.
    /// </summary>
    [WolverineGet("/api/v1/communities/{community}/audit/actions", Name = "ListActions")]
    [RequiresRole(PartnerRole.Auditor)]
    [Tags("Audit")]
    public static async Task<Results<Ok<Page<ActorAction>>, ProblemHttpResult>> List(
        string community, Guid? partnerKey, string? person, string? from, string? to, long? after, int? limit, IDocumentStore store, CancellationToken cancellation)
    {
        if (partnerKey is null && string.IsNullOrWhiteSpace(person)) return ProblemResponses.Validation("partnerKey", "Name a partner key or a person (person=grid-01).");
        if (Paging.Refusal(after, limit) is { } refused) return refused;
        if (InstantsWithOffset.ReadQuery(from, "from", out var since) is { } badFrom) return badFrom;
        if (InstantsWithOffset.ReadQuery(to, "to", out var until) is { } badTo) return badTo;
        if (!CommunityCode.IsValid(community)) return ProblemResponses.CommunityNotFound(community);
        var size = limit ?? Paging.DefaultLimit;
        var actions = await ReadAsync(store, community, partnerKey, person, since, until, after ?? 0, size + 1, cancellation);
        var more = actions.Count > size;
        var page = more ? actions[..size] : actions;
        return TypedResults.Ok(new Page<ActorAction>(page, more ? page[^1].Sequence : null));
    }

    private static async Task<List<ActorAction>> ReadAsync(
        IDocumentStore store, string community, Guid? partnerKey, string? person, DateTimeOffset? since, DateTimeOffset? until, long after, int take, CancellationToken cancellation)
    {
        const string schema = EventStoreSetup.SchemaName;
        var database = await store.Storage.FindOrCreateDatabase(community);
        await using var connection = database.CreateConnection();
        await connection.OpenAsync(cancellation);
        // The person is whichever "…By" field the event carries (recordedBy, pausedBy, handedOverBy...).
        await using var command = new NpgsqlCommand($"""
            select seq_id, timestamp, type, stream_id, headers ->> 'partner-key', headers ->> 'partner', person, correlation_id
            from (select e.*, (select kv.value from jsonb_each_text(e.data) kv where kv.key like '%By' limit 1) as person
                  from {schema}.mt_events e where e.tenant_id = $1 and e.seq_id > $2) e
            where ($3::text is null or headers ->> 'partner-key' = $3)
              and ($4::text is null or person = $4)
              and ($5::timestamptz is null or timestamp >= $5)
              and ($6::timestamptz is null or timestamp <= $6)
            order by seq_id
            limit $7
            """, connection)
        {
            Parameters =
            {
                new() { Value = community }, new() { Value = after },
                new() { Value = (object?)partnerKey?.ToString() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                new() { Value = (object?)person ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                new() { Value = (object?)since?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz },
                new() { Value = (object?)until?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz },
                new() { Value = take },
            },
        };
        var actions = new List<ActorAction>();
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            actions.Add(new ActorAction(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetGuid(3),
                Text(4) is { } key && Guid.TryParse(key, out var id) ? id : null, Text(5), Text(6), Text(7)));
        }

        return actions;
    }
}
