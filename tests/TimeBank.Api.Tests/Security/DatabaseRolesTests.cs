using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace TimeBank.Api.Tests.Security;

/// <summary>
/// The service runs as a role that may append to the event log and read it, never change or remove it: someone who
/// takes over the service (or its connection string) cannot rewrite the ledger.
/// </summary>
public class DatabaseRolesTests
{
    private static NpgsqlDataSource ServiceConnections => TestHost.Factory.Services.GetRequiredService<NpgsqlDataSource>();

    [Test]
    public async Task the_running_service_holds_no_superuser_session()
    {
        var community = await Given.ACommunity();
        await community.AVolunteer();

        await using var connection = new NpgsqlConnection(TestHost.ConnectionString);
        await connection.OpenAsync();
        await using var sessions = new NpgsqlCommand("""
            select a.usename, r.rolsuper from pg_stat_activity a join pg_roles r on r.rolname = a.usename
            where a.datname = current_database() and a.pid <> pg_backend_pid()
            """, connection);
        var roles = new List<(string Role, bool Superuser)>();
        await using (var reader = await sessions.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) roles.Add((reader.GetString(0), reader.GetBoolean(1)));
        }

        // The tests' own superuser connections (pooled, idle) are there too; every other session is the service's role.
        Assert.That(roles.Where(r => r.Role == TestHost.ServiceRole), Is.Not.Empty);
        Assert.That(roles.Where(r => r.Role != TestHost.ServiceRole).Select(r => r.Role).Distinct(), Is.SubsetOf(new[] { "postgres" }));
        await using var whoAmI = ServiceConnections.CreateCommand("select current_user, (select rolsuper from pg_roles where rolname = current_user)");
        await using var me = await whoAmI.ExecuteReaderAsync();
        await me.ReadAsync();
        Assert.That((me.GetString(0), me.GetBoolean(1)), Is.EqualTo((TestHost.ServiceRole, false)));
    }

    [TestCase("update timebank.mt_events set data = data where seq_id = (select max(seq_id) from timebank.mt_events)")]
    [TestCase("delete from timebank.mt_events where seq_id = (select max(seq_id) from timebank.mt_events)")]
    [TestCase("truncate timebank.mt_events")]
    [TestCase("update timebank.tb_event_links set hash = hash where seq_id = (select max(seq_id) from timebank.tb_event_links)")]
    [TestCase("delete from timebank.tb_event_links where seq_id = (select max(seq_id) from timebank.tb_event_links)")]
    [TestCase("truncate timebank.tb_event_links")]
    [TestCase("insert into timebank.tb_event_links values (-1, 'x', gen_random_uuid(), 1, repeat('0', 64), repeat('0', 64))")]
    [TestCase("delete from timebank.mt_streams where id = gen_random_uuid()")]
    [TestCase("truncate timebank.mt_streams")]
    [TestCase("delete from timebank.tb_checkpoints")]
    [TestCase("update timebank.tb_checkpoint_links set hash = hash")]
    [TestCase("drop trigger tb_link_event on timebank.mt_events")]
    [TestCase("create or replace function timebank.tb_event_hash(previous text, tenant text, stream uuid, version bigint, type text, at timestamptz, partner text, correlation text, data jsonb) returns text language sql as $$ select '' $$")]
    public async Task the_services_role_is_refused_what_would_rewrite_the_log(string sql)
    {
        var community = await Given.ACommunity();
        await community.AVolunteer();

        await using var command = ServiceConnections.CreateCommand(sql);
        var refused = Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        Assert.That(refused!.SqlState, Is.AnyOf(PostgresErrorCodes.InsufficientPrivilege, "42501"), refused.Message);
        Assert.That(refused.MessageText, Does.Contain("permission denied").Or.Contain("must be owner"));
    }
}
