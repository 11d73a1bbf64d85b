using System.Diagnostics;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TimeBank.Api.Audit;
using TimeBank.Domain.GridWorkers;

namespace TimeBank.Api.Tests.Audit;

/// <summary>
/// A write that fails after its append drew sequence numbers leaves a gap in the log. Marten fills it with
/// tombstones; the chain takes them (they hold no fact) and the async daemon moves past at once, instead of
/// waiting the gap out.
/// </summary>
public class EventGapTests
{
    private static async Task<long> HighWaterMark()
    {
        var progress = await TestHost.Factory.Store.Advanced.AllProjectionProgress();
        return progress.FirstOrDefault(p => p.ShardName == "HighWaterMark")?.Sequence ?? 0;
    }

    private static async Task<T> Scalar<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(TestHost.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Two grid workers registered in one write, the second under an id that is already taken: the first one's
    /// event was appended (its sequence number drawn) before the second failed, and the whole write rolled back.
    /// </summary>
    private static async Task<long> ARolledBackWrite(TestCommunity community)
    {
        var taken = (await community.AGridWorker()).Id;
        await using var session = TestHost.Factory.Store.LightweightSession(community.Code);
        var first = Guid.CreateVersion7();
        session.Events.StartStream<GridWorker>(first, new GridWorkerRegistered(first, "block 1", "grid-01", TestHost.Start));
        session.Events.StartStream<GridWorker>(taken, new GridWorkerRegistered(taken, "block 2", "grid-01", TestHost.Start));
        var failed = Assert.CatchAsync(() => session.SaveChangesAsync());
        Assert.That(failed, Is.Not.Null);
        var drawn = session.PendingChanges.Streams().Single(s => s.Id == first).Events.Single().Sequence;
        Assert.That(drawn, Is.GreaterThan(0), "the first append did not draw its sequence number before the write failed");
        return drawn;
    }

    [Test]
    public async Task the_daemon_moves_past_a_gap_left_by_a_rolled_back_write_at_once_and_the_chain_still_verifies()
    {
        var community = await Given.ACommunity();
        var gap = await ARolledBackWrite(community);
        var rolledBackAt = Stopwatch.StartNew();

        // Marten's gap filler: a tombstone at the drawn number, of its own type, with no data, its version its sequence number.
        var tombstone = TimeSpan.Zero;
        while (await Scalar<long>($"select count(*) from timebank.mt_events where seq_id = {gap}") == 0 && rolledBackAt.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        tombstone = rolledBackAt.Elapsed;
        Assert.That(await Scalar<string>($"select type || ' ' || data::text || ' ' || (version = seq_id) from timebank.mt_events where seq_id = {gap}"),
            Is.EqualTo("tombstone {} true"), "no tombstone filled the gap");

        // A write after it, which the daemon can only take in after the gap.
        await community.AVolunteer();
        var after = await Scalar<long>("select max(seq_id) from timebank.mt_events");
        while (await HighWaterMark() < after && rolledBackAt.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(20);
        var passed = rolledBackAt.Elapsed;

        // Marten waits out a gap nothing fills for its stale threshold (3 s); a filled one needs no wait.
        Assert.That(await HighWaterMark(), Is.GreaterThanOrEqualTo(after));
        Assert.That(passed, Is.LessThan(TimeSpan.FromSeconds(2.5)), $"the tombstone came after {tombstone.TotalMilliseconds:0} ms, the daemon passed after {passed.TotalMilliseconds:0} ms");
        TestContext.Out.WriteLine($"tombstone after {tombstone.TotalMilliseconds:0} ms; high-water mark past the gap after {passed.TotalMilliseconds:0} ms");

        var result = await EventChain.VerifyAsync(TestHost.Factory.Store, TestHost.Factory.Services.GetRequiredService<CheckpointKey>(), community.Code, null, CancellationToken.None);
        Assert.That(result.Intact, Is.True, string.Join("; ", result.Broken.Select(b => $"{b.Sequence}: {b.Problem}")));
        Assert.That(await Scalar<long>($"select count(*) from timebank.tb_event_links where seq_id = {gap}"), Is.Zero, "a tombstone is not chained");
    }

    /// <summary>
    /// A sequence number drawn by a transaction that then died leaves a gap nothing fills: Marten waits it out (its
    /// stale threshold, and no transaction left that could fill it) and moves on. The rows it keeps about such a gap
    /// beside the views' progress are not views: the health watch reads the views only.
    /// </summary>
    [Test]
    public async Task a_gap_nothing_fills_is_waited_out_within_seconds_and_the_view_watch_reads_only_views()
    {
        var community = await Given.ACommunity();
        var gap = await Scalar<long>("select nextval('timebank.mt_events_sequence')");
        await community.AVolunteer();
        var after = await Scalar<long>("select max(seq_id) from timebank.mt_events");
        var waited = Stopwatch.StartNew();
        while (await HighWaterMark() < after && waited.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(50);

        TestContext.Out.WriteLine($"the gap at {gap} was waited out in {waited.Elapsed.TotalMilliseconds:0} ms");
        Assert.That(await HighWaterMark(), Is.GreaterThanOrEqualTo(after));
        Assert.That(waited.Elapsed, Is.LessThan(TimeSpan.FromSeconds(15)));

        var shards = ((DocumentStore)TestHost.Factory.Store).Options.Projections.AllShards().Select(s => s.Name.Identity).ToList();
        var watch = TestHost.Factory.Services.GetRequiredService<TimeBank.Api.Infrastructure.Health.AsyncViewWatch>();
        for (var wait = 0; wait < 100 && watch.Views.Count < shards.Count; wait++) await Task.Delay(100);
        Assert.That(await Scalar<long>("select count(*) from timebank.mt_event_progression where name like 'HighWater%' and name <> 'HighWaterMark'"), Is.Positive,
            "Marten kept no row of its own about the gap");
        Assert.That(watch.Views.Keys, Is.EquivalentTo(shards));
    }
}
