using System.Diagnostics;
using Marten;
using TimeBank.Api.Infrastructure.EventStore;
using TimeBank.Domain.Services;
using TimeBank.Harness;

namespace TimeBank.Bench.Measurements;

/// <summary>
/// Marten alone: one service event appended per transaction from C#, through a store configured exactly as
/// the service's (inline views, metadata, the chain trigger in the database), without HTTP, validation,
/// keys or idempotency. Each client appends to volunteers of its own, so no append waits for another.
/// </summary>
public static class RawAppend
{
    /// <returns>Appends per second at each client count.</returns>
    public static async Task<IReadOnlyDictionary<int, double>> MeasureAsync(BenchRun run)
    {
        await using var store = DocumentStore.For(options =>
        {
            options.Connection(EventStoreSetup.PreparingDataSource(run.ConnectionString));
            options.ConfigureTimeBank();
        });
        var community = await run.Ledger.NewCommunityAsync("bench-raw", run.Scale.ClientCounts.Sum(), run.Ledger.FiveYearsAgo);
        // The first sessions of a store build its storage and compile its code: not part of the figure.
        var warmUp = community.People[0];
        for (var i = 0; i < 20; i++) await AppendAsync(store, community, warmUp, -1 - i, run.Ledger.Now);

        var perSecond = new Dictionary<int, double>();
        var next = 0;
        foreach (var clients in run.Scale.ClientCounts)
        {
            var people = community.People.Skip(next).Take(clients).ToList();
            next += clients;
            var appended = new long[clients];
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(people.Select((p, worker) => Task.Run(async () =>
            {
                for (var i = 0; clock.Elapsed < run.Scale.Step; i++)
                {
                    await AppendAsync(store, community, p, i, run.Ledger.Now);
                    appended[worker]++;
                }
            })));
            perSecond[clients] = appended.Sum() / clock.Elapsed.TotalSeconds;
            run.Say($"raw Marten append, {clients} clients: {BenchRun.Number(perSecond[clients])} events/s");
        }

        return perSecond;
    }

    private static async Task AppendAsync(IDocumentStore store, RunCommunity community, (Guid Volunteer, Guid Elder) person, int iteration, DateTimeOffset now)
    {
        var startedAt = LedgerDriver.At(community.EnrolledOn, 11 * iteration);
        var recorded = new ServiceRecorded(Guid.CreateVersion7(), person.Volunteer, [person.Elder], "greeting-call", startedAt, 10,
            DateOnly.FromDateTime(startedAt.DateTime), 10, LedgerDriver.Recorder, now);
        await using var session = store.LightweightSession(community.Code);
        session.Events.Append(person.Volunteer, recorded);
        await session.SaveChangesAsync();
    }
}
