using Npgsql;
using TimeBank.Harness;

namespace TimeBank.Bench.Measurements;

/// <summary>
/// The limit everything is compared with: pgbench committing one row per transaction into an append-only
/// table shaped like the event log (sequence, stream, version, type, a service's JSON, time), with the same
/// unique stream-and-version index, on the same PostgreSQL, at the same client counts.
/// </summary>
public static class Baseline
{
    private const string Table = "public.bench_baseline";

    private const string Script = """
        insert into public.bench_baseline (stream_id, version, type, data)
        values (gen_random_uuid(), 1, 'service_recorded', '{"serviceId":"01937f5e-7b2a-7c3d-8e4f-5a6b7c8d9e0f","volunteerId":"01937f5e-7b2a-7c3d-8e4f-5a6b7c8d9e10","elderIds":["01937f5e-7b2a-7c3d-8e4f-5a6b7c8d9e11"],"serviceType":"greeting-call","startedAt":"2026-11-23T08:00:00+08:00","minutes":10,"serviceDay":"2026-11-23","minutesBanked":10,"recordedBy":"bench","recordedAt":"2026-11-23T08:10:00+08:00"}'::jsonb);
        """;

    /// <returns>Committed inserts per second at each client count.</returns>
    public static async Task<IReadOnlyDictionary<int, double>> MeasureAsync(BenchRun run)
    {
        await using (var connection = new NpgsqlConnection(run.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"""
                create table if not exists {Table} (
                    seq_id bigserial primary key, stream_id uuid not null, version integer not null, type text not null,
                    data jsonb not null, timestamp timestamptz not null default now(), unique (stream_id, version));
                truncate {Table};
                """, connection);
            await create.ExecuteNonQueryAsync();
        }

        var tps = new Dictionary<int, double>();
        foreach (var clients in run.Scale.ClientCounts)
        {
            tps[clients] = await PostgresTools.PgBenchAsync(run.ConnectionString, Script, clients, run.Scale.Step);
            run.Say($"baseline, {clients} clients: {BenchRun.Number(tps[clients])} committed inserts/s");
        }

        return tps;
    }
}
