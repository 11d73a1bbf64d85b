using Npgsql;

namespace TimeBank.Api.Infrastructure.Database;

/// <summary>
/// Where the ledger's PostgreSQL is: the environment variable <c>TIMEBANK_DB</c> or the connection string
/// <c>ConnectionStrings:TimeBank</c>, connecting as the runtime role; and the owner's, which applies the schema:
/// <c>TIMEBANK_DB_OWNER</c> or <c>ConnectionStrings:TimeBankOwner</c>. The build script sets both to its private
/// cluster's roles (README: Security).
/// </summary>
public static class DatabaseConnection
{
    public const string EnvironmentVariable = "TIMEBANK_DB";
    public const string OwnerEnvironmentVariable = "TIMEBANK_DB_OWNER";

    /// <summary>Set to <c>true</c> to let the service run as a superuser (never in production).</summary>
    public const string AllowSuperuserSetting = "TIMEBANK_DB_ALLOW_SUPERUSER";

    /// <summary>The connection string from the checked settings (<see cref="Settings.TimeBankSettings.Read"/>).</summary>
    public static string Resolve(IConfiguration configuration) => Settings.TimeBankSettings.Read(configuration).ConnectionString;

    /// <summary>The owner's connection string, when this process is to apply the schema; null otherwise.</summary>
    public static string? ResolveOwner(IConfiguration configuration)
    {
        var connectionString = configuration[OwnerEnvironmentVariable];
        if (string.IsNullOrWhiteSpace(connectionString)) connectionString = configuration.GetConnectionString("TimeBankOwner");
        return string.IsNullOrWhiteSpace(connectionString) ? null : connectionString;
    }

    public static bool AllowSuperuser(IConfiguration configuration) => configuration.GetValue<bool>(AllowSuperuserSetting);

    /// <summary>The role a connection string logs in as.</summary>
    public static string Role(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString).Username ?? throw new InvalidOperationException("The connection string names no user.");

    /// <summary>
    /// Creates the database named in the connection string when the server does not have it yet, so a fresh
    /// private cluster (or a fresh test database) needs no manual step. An existing database is left alone.
    /// </summary>
    public static async Task EnsureDatabaseExistsAsync(string connectionString, CancellationToken cancellation)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var database = target.Database ?? throw new InvalidOperationException("The connection string names no database.");
        var maintenance = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };

        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync(cancellation);
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (await exists.ExecuteScalarAsync(cancellation) is not null) return;

        var quoted = new NpgsqlCommandBuilder().QuoteIdentifier(database);
        await using var create = new NpgsqlCommand($"create database {quoted} encoding 'UTF8'", connection);
        try
        {
            await create.ExecuteNonQueryAsync(cancellation);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another node created it at the same moment: that is what we wanted.
        }
    }
}
