using System.Text.Json.Nodes;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TimeBank.Api.Audit;

namespace TimeBank.Api.Tests.Audit;

/// <summary>Every view folded again from the log equals the live one, until a live view is broken.</summary>
public class ReplayTests
{
    private static async Task<(TestCommunity Community, Guid Volunteer)> ACommunityWithAHistory()
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var elder = await community.AnElder("disabled");
        await community.Pair(volunteer.Id, elder.Id);
        var first = await community.AService(volunteer.Id, elder.Id, "2026-08-03T09:00:00+08:00", 60);
        await community.AService(volunteer.Id, elder.Id, "2026-08-10T09:00:00+08:00", 45);
        await community.Http.PostAsJsonAsync(community.Url($"/services/{first.ServiceId}/reversal"), new { reason = "not-done", recordedBy = "grid-01" });
        await TestHost.Factory.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        await community.Http.PostAsJsonAsync(community.Url("/quarters/2026Q3/closing"), new { recordedBy = "office-01" });
        await TestHost.Factory.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        return (community, volunteer.Id);
    }

    [Test]
    public async Task a_replay_started_by_an_auditor_finds_every_view_equal_to_the_live_one()
    {
        var (community, _) = await ACommunityWithAHistory();

        var started = await community.Http.PostAsJsonAsync("/api/v1/audit/replays", new { community = community.Code, recordedBy = "auditor-01" });
        Assert.That(started.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await started.Content.ReadAsStringAsync());
        JsonNode run;
        var until = DateTime.UtcNow.AddSeconds(120);
        do
        {
            await Task.Delay(250);
            run = JsonNode.Parse(await community.Http.GetStringAsync(started.Headers.Location))!;
        }
        while (run["status"]!.GetValue<string>() is "waiting" or "running" && DateTime.UtcNow < until);

        Assert.That(run["status"]!.GetValue<string>(), Is.EqualTo("finished"), run.ToJsonString());
        var views = run["result"]!["views"]!.AsArray();
        Assert.That(views.SelectMany(v => v!["differences"]!.AsArray()), Is.Empty, run.ToJsonString());
        var volunteers = views.Single(v => v!["view"]!.GetValue<string>() == "Volunteer")!;
        Assert.That((volunteers["live"]!.GetValue<long>(), volunteers["replayed"]!.GetValue<long>()), Is.EqualTo((1, 1)));
        Assert.That(run["progress"]!.AsArray().Select(p => p!.GetValue<string>()), Has.Some.StartsWith($"Replayed {community.Code}: "));
    }

    [Test]
    public async Task the_sample_community_replays_to_the_same_views()
    {
        var code = "replay-" + Guid.NewGuid().ToString("N")[..8];
        await new TimeBank.Samples.SampleCommunity.SampleCommunityLoader(TestHost.Factory.PartnerClient(), TextWriter.Null).LoadAsync(code, days: 7, now: TestHost.Start);
        await TestHost.Factory.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(120));

        var result = await ProjectionReplay.RunAsync(TestHost.Factory.Store, code, new Progress<string>(), CancellationToken.None);

        Assert.That(result.Views.Where(v => v.Differences.Count > 0).Select(v => $"{v.View}: {string.Join(", ", v.Differences.Take(3))}"), Is.Empty);
        // 90 volunteers, 171 elders, and a care day for every elder on each of the seven days.
        Assert.That(result.Views.Single(v => v.View == "Volunteer").Replayed, Is.EqualTo(90));
        Assert.That(result.Views.Single(v => v.View == "Elder").Replayed, Is.EqualTo(171));
        Assert.That(result.Views.Single(v => v.View == "CareDay").Replayed, Is.EqualTo(171 * 7));
    }

    [Test]
    public async Task a_broken_live_view_is_found_and_the_command_exits_non_zero()
    {
        var (community, volunteer) = await ACommunityWithAHistory();
        // A view that drifted from the log: the volunteer's document says 99 services.
        await using (var command = TestHost.Factory.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
            $"update timebank.mt_doc_volunteer set data = jsonb_set(data, '{{servicesRecorded}}', '99') where id = '{volunteer}'"))
        {
            await command.ExecuteNonQueryAsync();
        }

        var result = await ProjectionReplay.RunAsync(TestHost.Factory.Store, community.Code, new Progress<string>(), CancellationToken.None);

        Assert.That(result.Equal, Is.False);
        Assert.That(result.Views.SelectMany(v => v.Differences.Select(d => (v.View, d.Id, d.Difference))),
            Is.EqualTo(new[] { ("Volunteer", volunteer.ToString(), "different") }));
        Assert.That(await AuditCommand.RunAsync(TestHost.Factory.Services, ["replay", "--community", community.Code]), Is.EqualTo(1));
    }
}
