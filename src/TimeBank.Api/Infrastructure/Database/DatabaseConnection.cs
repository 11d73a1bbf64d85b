using Npgsql;

namespace TimeBank.Api.Infrastructure.Database;

/// <summary>
/// Where the ledger's PostgreSQL is: the environment variable <c>TIMEBANK_DB</c> or the connection string
/// <c>ConnectionStrings:TimeBank</c>. The build script sets the first to its private cluster.
/// </summary>
public static class DatabaseConnection
{
    public const string EnvironmentVariable = "TIMEBANK_DB";

    /// <summary>The connection string from the checked settings (<see cref="Settings.TimeBankSettings.Read"/>).</summary>
    public static string Resolve(IConfiguration configuration) => Settings.TimeBankSettings.Read(configuration).ConnectionString;

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
