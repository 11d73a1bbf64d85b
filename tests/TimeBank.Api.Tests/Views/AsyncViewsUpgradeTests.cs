using Marten;
using Marten.Events;
using Npgsql;
using TimeBank.Api.Communities;
using TimeBank.Api.Elders;
using TimeBank.Api.Infrastructure.EventStore;

namespace TimeBank.Api.Tests.Views;

/// <summary>
/// The async views were once folded by a shard each; now they are one composite (<see cref="AsyncViews"/>). A
/// database of before has the views' own progress rows but not the composite's: the owner's schema apply folds them
/// again, together, from the whole log, and they go on from there.
/// </summary>
public class AsyncViewsUpgradeTests
{
    [Test]
    public async Task views_kept_by_a_shard_each_are_folded_again_together_and_take_in_what_comes_next()
    {
        var database = await TestHost.FreshDatabaseAsync(null, "_async_views_upgrade");
        string code;
        Guid volunteerId, elderId;
        await using (var before = TestHost.StartHost("Testing", database))
        {
            var community = await Given.ACommunity(host: before);
            code = community.Code;
            volunteerId = (await community.AVolunteer()).Id;
            elderId = (await community.AnElder()).Id;
            await community.AService(volunteerId, elderId, "2026-11-20T09:00:00+08:00", 30);
            await community.AService(volunteerId, elderId, "2026-11-21T09:00:00+08:00", 45);
            await before.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        }

        // What a database of before held: each view's progress, and no composite's.
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var old = new NpgsqlCommand($"delete from {EventStoreSetup.SchemaName}.mt_event_progression where name = '{AsyncViews.ShardName}'", connection);
            Assert.That(await old.ExecuteNonQueryAsync(), Is.EqualTo(1));
        }

        await using var after = TestHost.StartHost("Testing", database);
        var again = new Infrastructure.TestCommunity(after.CreateClient(), code);
        await again.AService(volunteerId, elderId, "2026-11-22T09:00:00+08:00", 15);
        // Without the apply's fold anew, the composite would start at the first event and stop on the views' own rows.
        await after.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

        var record = (await again.Http.GetFromJsonAsync<CareRecordResponse>(again.Url($"/elders/{elderId}/care-record"), Json.Options))!;
        // Three services, each counted once: 30 + 45 + 15 = 90 minutes.
        Assert.That((record.ServicesReceived, record.MinutesReceived), Is.EqualTo((3, 90)));
        var totals = (await again.Http.GetFromJsonAsync<TotalsResponse>(again.Url("/totals"), Json.Options))!;
        Assert.That((totals.Volunteers, totals.Elders, totals.MinutesThisMonth), Is.EqualTo((1, 1, 90)));
        Assert.That(await again.ReplayDifferences(), Is.Empty);
    }
}
