using Npgsql;

namespace TimeBank.Chaos;

/// <summary>What the ledger itself holds, read with SQL from the event log: the ground truth a scenario is checked against.</summary>
public static class LedgerCheck
{
    // Unpooled: a scenario may have restarted the database under the pool, leaving it dead connections.
    private static NpgsqlConnection Open(string connectionString) => new(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);

    /// <summary>How many events of <paramref name="eventType"/> name each id in their <paramref name="idField"/>, in one community.</summary>
    public static async Task<Dictionary<Guid, int>> CountByIdAsync(string connectionString, string community, string eventType, string idField)
    {
        await using var connection = Open(connectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            "select (data ->> @field)::uuid, count(*) from timebank.mt_events where tenant_id = @community and type = @type group by 1", connection);
        query.Parameters.AddWithValue("field", idField);
        query.Parameters.AddWithValue("community", community);
        query.Parameters.AddWithValue("type", eventType);
        var counts = new Dictionary<Guid, int>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync()) counts[reader.GetGuid(0)] = (int)reader.GetInt64(1);
        return counts;
    }

    /// <summary>Acknowledged ids missing from the ledger, and ids (acknowledged or not) that are in it more than once.</summary>
    public static (int Found, int Lost, int Duplicated) Compare(IReadOnlyCollection<Guid> acknowledged, IReadOnlyDictionary<Guid, int> inLedger) =>
        (acknowledged.Count(inLedger.ContainsKey), acknowledged.Count(id => !inLedger.ContainsKey(id)), inLedger.Count(c => c.Value > 1));

    /// <summary>How many events carry each correlation id that starts with <paramref name="prefix"/>.</summary>
    public static async Task<Dictionary<string, int>> EventsByCorrelationAsync(string connectionString, string prefix)
    {
        await using var connection = Open(connectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("select correlation_id, count(*) from timebank.mt_events where correlation_id like @prefix group by 1", connection);
        query.Parameters.AddWithValue("prefix", prefix + "%");
        var counts = new Dictionary<string, int>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync()) counts[reader.GetString(0)] = (int)reader.GetInt64(1);
        return counts;
    }
}
