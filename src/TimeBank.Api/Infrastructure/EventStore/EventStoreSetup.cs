using JasperFx;
using JasperFx.Events;
using JasperFx.MultiTenancy;
using Marten;
using Npgsql;
using TimeBank.Api.Audit;
using TimeBank.Api.Care;
using TimeBank.Api.Communities;
using TimeBank.Api.Elders;
using TimeBank.Api.Families;
using TimeBank.Api.GridWorkers;
using TimeBank.Api.Infrastructure.Idempotency;
using TimeBank.Api.Pairings;
using TimeBank.Api.Partners;
using TimeBank.Api.People;
using TimeBank.Api.Reports;
using TimeBank.Api.Services;
using TimeBank.Api.Store;
using TimeBank.Api.TimeAccounts;
using TimeBank.Api.Volunteers;
using Weasel.Core;
using Wolverine.Marten;

namespace TimeBank.Api.Infrastructure.EventStore;

/// <summary>
/// The event store. Every community is a Marten tenant (conjoined: one database, every row tagged with
/// the community's code), so a session opened for one community cannot read another's records; a
/// county-wide read has to ask for it on purpose. Moving communities to databases of their own later is a
/// change of tenancy here, not of the code that uses sessions.
/// </summary>
public static class EventStoreSetup
{
    public const string SchemaName = "timebank";

    public static IServiceCollection AddTimeBankEventStore(this IServiceCollection services, string connectionString)
    {
        services.AddSingleton(_ => PreparingDataSource(connectionString));

        services.AddMarten(options =>
            {
                options.ConfigureTimeBank();
                // The service's role may not change the schema: the owner applies it (DatabaseSchema).
                options.AutoCreateSchemaObjects = AutoCreate.None;
            })
            .UseNpgsqlDataSource()
            .UseLightweightSessions()
            // Async projections run under Wolverine's agent distribution: with several service nodes on one
            // database, each projection runs on exactly one node and moves if that node goes away.
            .IntegrateWithWolverine(wolverine => wolverine.UseWolverineManagedEventSubscriptionDistribution = true);

        return services;
    }

    /// <summary>
    /// The pool the service's store draws from, with Npgsql's automatic preparation (unless the connection string
    /// sets its own): a statement sent again and again is prepared on each connection once, and the pool's reset
    /// then keeps the prepared statements and the plans PostgreSQL caches inside Marten's append function and the
    /// chain's trigger, instead of emptying them all (DISCARD ALL) every time a connection goes back to the pool.
    /// Measured at about 0.9 ms of planning a deposit before (README: Performance). A schema change (a new version's
    /// apply) invalidates prepared statements: restart the nodes after it, as a deploy does.
    /// </summary>
    public static NpgsqlDataSource PreparingDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            // More than the statements of every write and read together, so none is evicted by another.
            builder.ConnectionStringBuilder.MaxAutoPrepare = 250;
            builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        }

        return builder.Build();
    }

    /// <summary>Everything the ledger's store is, but its connection: the service's store, and a benchmark's that appends without HTTP.</summary>
    public static void ConfigureTimeBank(this StoreOptions options)
    {
        options.DatabaseSchemaName = SchemaName;
        options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);

        options.Events.TenancyStyle = TenancyStyle.Conjoined;
        options.Events.StreamIdentity = StreamIdentity.AsGuid;
        options.Policies.AllDocumentsAreMultiTenanted();
        // Every event says which partner key appended it, and in which request (see EventMetadata).
        options.Events.MetadataConfig.HeadersEnabled = true;
        options.Events.MetadataConfig.CorrelationIdEnabled = true;
        // A write's inline snapshot folds onto the aggregate the write fetched, instead of loading it again: one
        // read fewer for every append (the aggregates are immutable records, so nothing alters the fetched one).
        options.Events.UseIdentityMapForAggregates = true;
        options.Listeners.Add(new Telemetry.DepositCounting());

        // What the owner's apply creates (DatabaseSchema); the service's own store creates nothing.
        options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;

        options.ConfigurePartners();
        options.ConfigureIdempotency();
        options.ConfigureCommunities();
        options.ConfigurePeople();
        options.ConfigureVolunteers();
        options.ConfigureElders();
        options.ConfigureServices();
        options.ConfigureGridWorkers();
        options.ConfigureFamilies();
        options.ConfigurePairings();
        options.ConfigureTimeAccounts();
        options.ConfigureCare();
        options.ConfigureStore();
        options.ConfigureAsyncViews();
        options.ConfigureAudit();
        options.ConfigureReports();
    }
}
