using Marten;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TimeBank.Api.Audit;
using TimeBank.Api.Infrastructure.EventStore;
using Wolverine;
using Wolverine.Persistence.Durability;
using Wolverine.RDBMS;

namespace TimeBank.Api.Infrastructure.Database;

/// <summary>
/// The ledger's schema (Marten's tables and functions, Wolverine's message tables, the event chain) is applied
/// by the owner role only, with the owner's connection string; the service itself connects as a runtime role
/// that may read and append the event log but never change or remove what is in it. The owner then grants the
/// runtime role exactly that: every document and message table as the service needs it, the event log and its
/// stream table without DELETE or TRUNCATE, the events and their links without UPDATE either, and the links not
/// even INSERT (the chain's trigger writes them as the owner).
/// </summary>
public static class DatabaseSchema
{
    private const string Schema = EventStoreSetup.SchemaName;

    /// <summary>Applies the schema when an owner's connection string is configured; otherwise leaves the database as it is.</summary>
    public static async Task ApplyWhenOwnerGivenAsync(IConfiguration configuration, CancellationToken cancellation)
    {
        if (DatabaseConnection.ResolveOwner(configuration) is not { } owner) return;
        await ApplyAsync(owner, DatabaseConnection.Role(DatabaseConnection.Resolve(configuration)), cancellation);
    }

    /// <summary>Creates the database if missing, applies every schema object as the owner, and grants the runtime role its share.</summary>
    public static async Task ApplyAsync(string ownerConnectionString, string runtimeRole, CancellationToken cancellation)
    {
        await DatabaseConnection.EnsureDatabaseExistsAsync(ownerConnectionString, cancellation);
        await using var dataSource = NpgsqlDataSource.Create(ownerConnectionString);
        await using (var store = DocumentStore.For(options =>
        {
            options.Connection(dataSource);
            options.ConfigureTimeBank();
            // This store only applies the schema; the service's own store runs the projections (under Wolverine),
            // so it says so rather than warn on the console that its projections will not run.
            options.Projections.AsyncMode = JasperFx.Events.Daemon.DaemonMode.ExternallyManaged;
        }))
        {
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            await EventChain.EnsureAsync(store, cancellation);
            await AsyncViews.FoldTogetherFromNowOnAsync(store, cancellation);
        }

        // Wolverine's envelope, node and control tables, in the schema its Marten integration uses (the store's).
        // Wolverine builds them only through its message store, whose PostgreSQL type it does not make public.
        var storeType = typeof(Wolverine.Postgresql.PostgresqlConfigurationExtensions).Assembly.GetType("Wolverine.Postgresql.PostgresqlMessageStore", throwOnError: true)!;
        var logger = Activator.CreateInstance(typeof(NullLogger<>).MakeGenericType(storeType))!;
        var settings = new DatabaseSettings { SchemaName = Schema, AutoCreate = JasperFx.AutoCreate.CreateOrUpdate, Role = MessageStoreRole.Main };
        var messages = (IMessageStore)Construct(storeType, settings, new DurabilitySettings(), dataSource, logger);
        await messages.Admin.MigrateAsync();
        await messages.DisposeAsync();

        await GrantAsync(dataSource, runtimeRole, cancellation);
    }

    /// <summary>Calls the first constructor whose every parameter one of <paramref name="values"/> fills (or an empty list, or false).</summary>
    private static object Construct(Type type, params object[] values)
    {
        foreach (var constructor in type.GetConstructors(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance))
        {
            var arguments = constructor.GetParameters().Select(p =>
                values.FirstOrDefault(p.ParameterType.IsInstanceOfType)
                ?? (p.ParameterType.IsGenericType && p.ParameterType.GetGenericTypeDefinition() == typeof(IEnumerable<>)
                    ? Array.CreateInstance(p.ParameterType.GetGenericArguments()[0], 0)
                    : p.ParameterType == typeof(bool) ? false : null)).ToArray();
            if (arguments.All(a => a is not null)) return constructor.Invoke(arguments);
        }

        throw new MissingMethodException($"No constructor of {type} takes {string.Join(", ", values.Select(v => v.GetType().Name))}: {string.Join("; ", type.GetConstructors().Select(c => string.Join(", ", c.GetParameters().Select(p => p.ParameterType.Name))))}");
    }

    private static async Task GrantAsync(NpgsqlDataSource owner, string runtimeRole, CancellationToken cancellation)
    {
        var role = new NpgsqlCommandBuilder().QuoteIdentifier(runtimeRole);
        await using var grant = owner.CreateCommand($"""
            grant usage on schema {Schema} to {role};
            grant select, insert, update, delete on all tables in schema {Schema} to {role};
            grant usage, select, update on all sequences in schema {Schema} to {role};
            grant execute on all functions in schema {Schema} to {role};
            -- The log: appended and read, never changed or removed. Marten's append moves a stream's version on.
            revoke update, delete, truncate on {Schema}.mt_events from {role};
            revoke delete, truncate on {Schema}.mt_streams from {role};
            revoke insert, update, delete, truncate on {Schema}.tb_event_links from {role};
            revoke update, delete, truncate on {Schema}.{Checkpoints.Table}, {Schema}.{Checkpoints.LinksTable} from {role};
            """);
        await grant.ExecuteNonQueryAsync(cancellation);
    }
}

/// <summary>
/// Runs before anything else of the host starts: applies the schema with the owner's connection string when one
/// is configured, then refuses to serve as a superuser unless the setting says so.
/// </summary>
internal sealed class DatabaseStart(IConfiguration configuration, NpgsqlDataSource dataSource) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await DatabaseSchema.ApplyWhenOwnerGivenAsync(configuration, cancellationToken);
        if (DatabaseConnection.AllowSuperuser(configuration)) return;
        await using var superuser = dataSource.CreateCommand("select rolsuper from pg_roles where rolname = current_user");
        if (await superuser.ExecuteScalarAsync(cancellationToken) is true)
        {
            throw new InvalidOperationException(
                $"The service connects as a superuser, who could rewrite the event log: connect as the runtime role (README: Security), or set {DatabaseConnection.AllowSuperuserSetting}=true to run anyway.");
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
