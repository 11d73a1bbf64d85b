using System.Diagnostics;
using Npgsql;

namespace TimeBank.Harness;

/// <summary>How far the service's async views have got, read from Marten's progression rows in the database.</summary>
public static class AsyncViews
{
    /// <summary>The service's schema (its <c>EventStoreSetup.SchemaName</c>).</summary>
    public const string Schema = "timebank";

    /// <summary>How many async views have not yet taken in everything up to <paramref name="sequence"/>.</summary>
    public static async Task<long> BehindAsync(string connectionString, long sequence) =>
        // A view's shard is named "CareDay:All"; Marten's own rows beside them (HighWaterMark, HighWaterStuckGap…) have no shard part.
        await ScalarAsync(connectionString, $"select count(*) from {Schema}.mt_event_progression where name like '%:%' and last_seq_id < {sequence}");

    /// <summary>Waits until every async view has taken in the last event appended so far; false if that took longer than <paramref name="limit"/>.</summary>
    public static async Task<bool> CatchUpAsync(string connectionString, TimeSpan limit)
    {
        var last = await LastSequenceAsync(connectionString);
        var clock = Stopwatch.StartNew();
        while (await BehindAsync(connectionString, last) > 0)
        {
            if (clock.Elapsed > limit) return false;
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }

        return true;
    }

    /// <summary>The sequence number of the last event appended so far (0 for an empty log).</summary>
    public static async Task<long> LastSequenceAsync(string connectionString) =>
        await ScalarAsync(connectionString, $"select coalesce(max(seq_id), 0) from {Schema}.mt_events");

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        // Unpooled: a harness polling now and then leaves no idle connection behind on the server.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await query.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
