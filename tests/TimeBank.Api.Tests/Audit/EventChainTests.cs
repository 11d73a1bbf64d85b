using System.Text.Json.Nodes;
using Marten.Events;
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
        // As the cluster's superuser: the service's own role may not change the log at all (DatabaseRolesTests).
        await using var connection = new NpgsqlConnection(TestHost.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
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

    /// <summary>Marten's tombstones are not chained, so making an event into one must not hide its removal.</summary>
    [Test]
    public async Task a_chained_event_made_into_a_tombstone_is_named()
    {
        var (community, services) = await ACommunityWithServices();
        // Rewritten after the views took it in, as history is: the async views would otherwise read a fabricated row
        // (the service's type over a tombstone's empty data) and stop, for every test after this one.
        await TestHost.Factory.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        await Tamper($"""
            update timebank.mt_events set version = seq_id, type = 'tombstone', data = '{"{}"}', mt_dotnet_type = null where seq_id = {services[3]};
            """);

        var result = await Verify(community);
        Assert.That(result["intact"]!.GetValue<bool>(), Is.False);
        Assert.That(result["broken"]!.AsArray().Select(b => (b!["sequence"]!.GetValue<long>(), b["problem"]!.GetValue<string>())),
            Has.Some.EqualTo((services[3], "a chained event was made into a tombstone: it was deleted")));
    }

    /// <summary>
    /// The service's role may append events (that is its job): whatever it appends is chained, but for Marten's
    /// tombstones, which take nothing that could be read as a fact; nor is an event outside any stream let in.
    /// </summary>
    [TestCase("'{0}', 'tombstone', '{{\"minutes\": 600}}', currval('timebank.mt_events_sequence')")]
    [TestCase("'{0}', 'tombstone', '{{}}', 1")]
    [TestCase("null, 'service_recorded', '{{\"minutes\": 600}}', 1")]
    public async Task the_services_role_cannot_append_a_fact_around_the_chain(string streamTypeDataAndVersion)
    {
        var community = await Given.ACommunity();
        await community.AVolunteer();
        var stream = Guid.CreateVersion7();
        var values = string.Format(System.Globalization.CultureInfo.InvariantCulture, streamTypeDataAndVersion, stream);
        await using var connection = new NpgsqlConnection(TestHost.As(TestHost.ConnectionString, TestHost.ServiceRole));
        await connection.OpenAsync();
        await using var append = new NpgsqlCommand($"""
            insert into timebank.mt_streams (id, tenant_id, version, is_archived) values ('{stream}', '{community.Code}', 0, false);
            insert into timebank.mt_events (seq_id, id, stream_id, type, data, version, tenant_id)
                values (nextval('timebank.mt_events_sequence'), gen_random_uuid(), {values}, '{community.Code}');
            """, connection);
        var refused = Assert.ThrowsAsync<PostgresException>(() => append.ExecuteNonQueryAsync());
        Assert.That(refused!.SqlState, Is.AnyOf(PostgresErrorCodes.CheckViolation, PostgresErrorCodes.NotNullViolation), refused.Message);
        Assert.That((await Verify(community))["intact"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task the_command_line_verify_exits_non_zero_on_a_broken_chain()
    {
        var (community, services) = await ACommunityWithServices();
        Assert.That(await AuditCommand.RunAsync(TestHost.Factory.Services, ["verify", "--community", community.Code]), Is.EqualTo(0));
        await Tamper($"update timebank.mt_events set type = 'service_reversed' where seq_id = {services[0]}");
        Assert.That(await AuditCommand.RunAsync(TestHost.Factory.Services, ["verify", "--community", community.Code]), Is.EqualTo(1));
    }

    /// <summary>
    /// Someone with the superuser's password edits a deposit (60 → 600 minutes) and recomputes its link and every
    /// later link of the stream with the database's own hash function: the chain agrees with itself again, but not
    /// with the checkpoint signed before, whose key was never in the database.
    /// </summary>
    [Test]
    public async Task a_deposit_rewritten_with_its_links_recomputed_after_a_checkpoint_is_named()
    {
        var (community, services) = await ACommunityWithServices();
        var edited = services[1];
        var key = TestHost.Factory.Services.GetRequiredService<CheckpointKey>();
        Checkpoints.Checkpoint? covering = null;
        for (var attempt = 0; attempt < 100 && covering is null; attempt++)
        {
            // The checkpoint covers only what is below the high-water mark, which the daemon moves on within a second or so.
            var made = await Checkpoints.MakeAsync(TestHost.Factory.Store, key, TimeProvider.System, CancellationToken.None);
            if (made is not null && made.LastSequence >= services[^1]) covering = made;
            else await Task.Delay(200);
        }

        Assert.That(covering, Is.Not.Null, "no checkpoint came to cover the services");
        Assert.That(await AuditCommand.RunAsync(TestHost.Factory.Services, ["verify", "--community", community.Code]), Is.EqualTo(0));

        await Tamper($$"""
            update timebank.mt_events set data = jsonb_set(data, '{minutes}', '600') where seq_id = {{edited}};
            do $$
            declare e record; previous text;
            begin
                for e in select m.* from timebank.mt_events m join timebank.mt_events t on t.seq_id = {{edited}}
                    where m.tenant_id = t.tenant_id and m.stream_id = t.stream_id and m.version >= t.version order by m.version
                loop
                    select l.hash into previous from timebank.tb_event_links l where l.tenant_id = e.tenant_id and l.stream_id = e.stream_id and l.version = e.version - 1;
                    update timebank.tb_event_links set previous_hash = previous, hash = timebank.tb_event_hash(previous, e.tenant_id, e.stream_id, e.version, e.type,
                        e.timestamp, e.headers ->> 'partner-key', e.correlation_id, e.data) where seq_id = e.seq_id;
                end loop;
            end $$;
            """);

        var result = await Verify(community);
        Assert.That(result["intact"]!.GetValue<bool>(), Is.False);
        Assert.That(result["firstBroken"]!["sequence"]!.GetValue<long>(), Is.EqualTo(edited));
        Assert.That(result["firstBroken"]!["problem"]!.GetValue<string>(), Does.Contain("no longer has the hash signed in checkpoint").And.Contain("changed after the checkpoint"));
        // Without the checkpoint the rewrite would pass: every link follows the one before and matches its event.
        Assert.That(result["broken"]!.AsArray().Select(b => b!["problem"]!.GetValue<string>()), Has.All.Contains("checkpoint"));

        var output = new StringWriter();
        var console = Console.Out;
        Console.SetOut(output);
        int exit;
        try
        {
            exit = await AuditCommand.RunAsync(TestHost.Factory.Services, ["verify", "--community", community.Code]);
        }
        finally
        {
            Console.SetOut(console);
        }

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(output.ToString(), Does.Contain($"First broken link: sequence {edited}."));
    }

    [Test]
    public async Task the_checkpoints_are_signed_with_the_key_kept_outside_the_database()
    {
        var community = await Given.ACommunity();
        await community.AVolunteer();
        var key = TestHost.Factory.Services.GetRequiredService<CheckpointKey>();
        for (var attempt = 0; attempt < 50 && await Checkpoints.MakeAsync(TestHost.Factory.Store, key, TimeProvider.System, CancellationToken.None) is null; attempt++)
        {
            await Task.Delay(200);
        }

        var listed = JsonNode.Parse(await community.Http.GetStringAsync("/api/v1/audit/checkpoints"))!.AsObject();
        var last = listed["checkpoints"]!.AsArray()[^1]!;
        using var publicKey = System.Security.Cryptography.ECDsa.Create();
        publicKey.ImportFromPem(listed["publicKey"]!.GetValue<string>());
        var signed = publicKey.VerifyData(System.Text.Encoding.UTF8.GetBytes(last["statement"]!.GetValue<string>()),
            Convert.FromBase64String(last["signature"]!.GetValue<string>()), System.Security.Cryptography.HashAlgorithmName.SHA256,
            System.Security.Cryptography.DSASignatureFormat.Rfc3279DerSequence);
        Assert.That(signed, Is.True);
        Assert.That(last["statement"]!.GetValue<string>(), Does.StartWith(Checkpoints.Format).And.Contain($"last-sequence: {last["lastSequence"]}"));
    }
}
