using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TimeBank.Api.Audit;

namespace TimeBank.Api.Tests.Audit;

/// <summary>Someone with the database's password edits, deletes and reorders events with plain SQL; the chain says where.</summary>
public class EventChainTests
{
    private static async Task<(TestCommunity Community, List<long> Services)> ACommunityWithServices()
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var elder = await community.AnElder();
        var services = new List<long>();
        for (var day = 2; day <= 5; day++) await community.AService(volunteer.Id, elder.Id, $"2026-11-0{day}T09:00:00+08:00", 60);
        return (community, await SequencesOf(community, "service_recorded"));
    }

    private static async Task<List<long>> SequencesOf(TestCommunity community, string type)
    {
        await using var session = TestHost.Factory.Store.QuerySession(community.Code);
        return [.. await session.AdvancedSql.QueryAsync<long>("select seq_id from timebank.mt_events where tenant_id = ? and type = ? order by seq_id", CancellationToken.None, community.Code, type)];
    }

    private static async Task Tamper(string sql)
    {
        await using var command = TestHost.Factory.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<JsonObject> Verify(TestCommunity community) =>
        JsonNode.Parse(await community.Http.GetStringAsync(community.Url("/audit/chain")))!.AsObject();

    [Test]
    public async Task an_untouched_log_verifies()
    {
        var (community, services) = await ACommunityWithServices();
        var result = await Verify(community);
        Assert.That((result["intact"]!.GetValue<bool>(), result["eventsChecked"]!.GetValue<long>()), Is.EqualTo((true, await community.EventCount())));
        Assert.That(services, Has.Count.EqualTo(4));
    }

    [Test]
    public async Task an_event_whose_data_was_edited_is_named()
    {
        var (community, services) = await ACommunityWithServices();
        await Tamper($"update timebank.mt_events set data = jsonb_set(data, '{{minutes}}', '240') where seq_id = {services[1]}");

        var result = await Verify(community);
        Assert.That(result["intact"]!.GetValue<bool>(), Is.False);
        Assert.That(result["firstBroken"]!["sequence"]!.GetValue<long>(), Is.EqualTo(services[1]));
        Assert.That(result["firstBroken"]!["problem"]!.GetValue<string>(), Does.Contain("changed"));
    }

    [Test]
    public async Task a_deleted_event_is_named()
    {
        var (community, services) = await ACommunityWithServices();
        await Tamper($"delete from timebank.mt_events where seq_id = {services[2]}");

        var result = await Verify(community);
        var broken = result["broken"]!.AsArray().Select(b => (b!["sequence"]!.GetValue<long>(), b["problem"]!.GetValue<string>())).ToList();
        Assert.That(result["firstBroken"]!["sequence"]!.GetValue<long>(), Is.EqualTo(services[2]));
        Assert.That(broken[0].Item2, Does.Contain("deleted"));
        // The next event of the stream no longer follows anything.
        Assert.That(broken.Any(b => b.Item1 == services[3] && b.Item2.Contains("missing", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public async Task two_reordered_events_are_named()
    {
        var (community, services) = await ACommunityWithServices();
        long first = services[0], second = services[3];
        await Tamper($"""
            update timebank.mt_events set seq_id = -{first} where seq_id = {first};
            update timebank.mt_events set seq_id = {first} where seq_id = {second};
            update timebank.mt_events set seq_id = {second} where seq_id = -{first};
            """);

        var result = await Verify(community);
        Assert.That(result["firstBroken"]!["sequence"]!.GetValue<long>(), Is.EqualTo(first));
        Assert.That(result["firstBroken"]!["problem"]!.GetValue<string>(), Does.Contain("reordered"));
        Assert.That(result["broken"]!.AsArray().Select(b => b!["sequence"]!.GetValue<long>()), Does.Contain(second));
    }

    [Test]
    public async Task the_command_line_verify_exits_non_zero_on_a_broken_chain()
    {
        var (community, services) = await ACommunityWithServices();
        Assert.That(await AuditCommand.RunAsync(TestHost.Factory.Services, ["verify", "--community", community.Code]), Is.EqualTo(0));
        await Tamper($"update timebank.mt_events set type = 'service_reversed' where seq_id = {services[0]}");
        Assert.That(await AuditCommand.RunAsync(TestHost.Factory.Services, ["verify", "--community", community.Code]), Is.EqualTo(1));
    }
}
