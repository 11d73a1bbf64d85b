using System.Diagnostics;
using Npgsql;
using TimeBank.Samples.SampleCommunity;

namespace TimeBank.Bench;

/// <summary>
/// The county the benchmark reads: <see cref="BenchScale.Communities"/> sample communities (90 volunteers and
/// 171 elders each) with <see cref="BenchScale.Days"/> days of the six-ones rhythm, loaded through the REST API
/// as partners would, and every quarter that has ended closed, oldest first, as a community does as it goes
/// (so that each quarter's awards score that quarter's services, not a year of them at once). The same plan always makes the same people and
/// services (only the dates follow the day of loading). It is kept between runs: a row in
/// <c>public.bench_dataset</c> says it is complete, and a database without that row is made anew.
/// </summary>
public static class CountyDataSet
{
    /// <summary>
    /// Raise when what is generated changes, so that a kept data set of the old kind is made anew. (3: the data sets
    /// kept before runs measured in a copy also held every earlier run's writes. 4: the async views folded together,
    /// which a kept data set of before would fold again from its whole log in every run's copy.)
    /// </summary>
    public const int Version = 4;

    public static async Task<bool> IsReadyAsync(string connectionString, BenchScale scale, string county)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var query = new NpgsqlCommand(
                "select count(*) from public.bench_dataset where version = @version and county = @county and communities = @communities and days = @days", connection);
            query.Parameters.AddWithValue("version", Version);
            query.Parameters.AddWithValue("county", county);
            query.Parameters.AddWithValue("communities", scale.Communities);
            query.Parameters.AddWithValue("days", scale.Days);
            return (long)(await query.ExecuteScalarAsync())! > 0;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InvalidCatalogName or PostgresErrorCodes.UndefinedTable)
        {
            return false;
        }
    }

    /// <summary>Loads and closes what is missing, then marks the data set complete; answers how many events the database holds.</summary>
    public static async Task<long> EnsureAsync(BenchRun run, int parallelLoads)
    {
        if (await IsReadyAsync(run.ConnectionString, run.Scale, run.County)) return await EventCountAsync(run.ConnectionString);

        var clock = Stopwatch.StartNew();
        run.Say($"Loading the county '{run.County}': {run.Scale.Communities} communities, {run.Scale.Days} days each (kept for the next runs).");
        var quarters = run.Ledger.QuartersEndedSince(run.Ledger.Today.AddDays(1 - run.Scale.Days));
        // The partner client over the run's own HTTP client (the service process, or the test host at smoke scale) and key.
        var client = TimeBank.Client.TimeBankClients.Over(run.Http);
        await Parallel.ForEachAsync(Enumerable.Range(1, run.Scale.Communities), new ParallelOptions { MaxDegreeOfParallelism = parallelLoads }, async (number, cancellation) =>
        {
            var code = run.CountyCommunity(number);
            await new SampleCommunityLoader(client, TextWriter.Null).LoadAsync(code, run.Scale.Days, run.Ledger.Now, run.County, cancellation);
            run.Say($"loaded {code}");
        });

        // Closing waits for the care views to take in every service (the rhythm bonuses read them).
        foreach (var quarter in quarters)
        {
            for (var number = 1; number <= run.Scale.Communities; number++)
            {
                await run.Ledger.CloseQuarterAsync(run.CountyCommunity(number), quarter, TimeSpan.FromMinutes(20));
            }

            run.Say($"closed {quarter}");
        }

        var events = await EventCountAsync(run.ConnectionString);
        await using (var connection = new NpgsqlConnection(run.ConnectionString))
        {
            await connection.OpenAsync();
            await using var mark = new NpgsqlCommand("""
                create table if not exists public.bench_dataset (
                    version integer not null, county text not null, communities integer not null, days integer not null, events bigint not null, loaded_at timestamptz not null);
                insert into public.bench_dataset values (@version, @county, @communities, @days, @events, now());
                """, connection);
            mark.Parameters.AddWithValue("version", Version);
            mark.Parameters.AddWithValue("county", run.County);
            mark.Parameters.AddWithValue("communities", run.Scale.Communities);
            mark.Parameters.AddWithValue("days", run.Scale.Days);
            mark.Parameters.AddWithValue("events", events);
            await mark.ExecuteNonQueryAsync();
        }

        run.Say($"The county holds {BenchRun.Number(events)} events, loaded and closed in {clock.Elapsed.TotalMinutes:0.0} min.");
        return events;
    }

    public static async Task<long> EventCountAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("select count(*) from timebank.mt_events", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
