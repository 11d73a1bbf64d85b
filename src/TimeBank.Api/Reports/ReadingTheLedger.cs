using System.Security.Cryptography;
using System.Text;
using JasperFx.Events;
using Marten;
using Npgsql;
using TimeBank.Api.Care;
using TimeBank.Api.Counties;
using TimeBank.Api.People;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Points;
using TimeBank.Domain.Reports;
using TimeBank.Domain.Shared;

namespace TimeBank.Api.Reports;

/// <summary>
/// Reads a community's event log up to a quarter's closing, row by row as stored, into the report: the
/// digest is taken over the very rows the report is folded from. The rows are read in the community's own
/// database, so this keeps working when communities get databases of their own.
/// </summary>
public static class ReadingTheLedger
{
    /// <summary>
    /// The columns the digest covers, one line per event in sequence order, fields joined by '|': what
    /// <c>psql -At -F '|'</c> prints for this query, so an auditor can recompute it without our code.
    /// </summary>
    public const string DigestColumns = "seq_id, id, stream_id, version, type, data::text";

    public static async Task<(QuarterlyReport? Report, Rejection? Rejection)> QuarterlyReportAsync(
        this IDocumentStore store, string community, Quarter quarter, CancellationToken cancellation)
    {
        if (!CommunityCode.IsValid(community)) return (null, UnknownCommunity(community));
        await using var session = store.QuerySession(community);
        var events = await session.Events.FetchStreamAsync(CommunityCode.StreamId(community), token: cancellation);
        if (events.Count == 0) return (null, UnknownCommunity(community));
        if (events.FirstOrDefault(e => e.Data is QuarterClosed closed && closed.Quarter.Equals(quarter)) is not { } closing)
        {
            return (null, Rejection.NotFound("quarter-not-closed", "quarter", $"{quarter} has not been closed; its report is made once it is."));
        }

        var (ledger, coverage) = await ReadUpToAsync(store, community, closing.Sequence, cancellation);
        var birthdays = await session.BirthdaysAsync(cancellation);
        var names = (await session.Query<PersonalDetails>().Select(p => new { p.Id, p.Name }).ToListAsync(cancellation)).ToDictionary(p => p.Id, p => p.Name);
        var report = QuarterlyReporting.Build(quarter, ledger, coverage, id => birthdays.GetValueOrDefault(id), id => names.GetValueOrDefault(id));

        // The awards are appended with the closing, in one transaction; the range must hold all of them.
        var closed = (QuarterClosed)closing.Data;
        if (report.Totals.PointsAwarded != closed.PointsAwarded)
        {
            throw new InvalidOperationException($"The events up to the closing of {quarter} in {community} hold {report.Totals.PointsAwarded} points awarded; the closing says {closed.PointsAwarded}.");
        }

        return (report, null);
    }

    /// <summary>
    /// The county's quarter: every community's report, read in its own tenant. Refused until every community of
    /// the county has closed the quarter, so the county's figures are never a mix of settled and open quarters.
    /// </summary>
    public static async Task<(CountyReport? Report, Rejection? Rejection)> CountyReportAsync(
        this IDocumentStore store, string county, Quarter quarter, CancellationToken cancellation)
    {
        var communities = await store.CommunitiesOfCountyAsync(county, cancellation);
        if (communities.Count == 0) return (null, CountyTotalsEndpoint.UnknownCounty(county));
        var open = communities.Where(c => c.Closing(quarter) is null).Select(c => c.Code).ToList();
        if (open.Count > 0)
        {
            return (null, Rejection.Conflict("quarter-not-closed-everywhere", "quarter", $"{quarter} is not closed yet in: {string.Join(", ", open)}."));
        }

        var reports = new List<QuarterlyReport>();
        foreach (var community in communities)
        {
            var (report, rejection) = await store.QuarterlyReportAsync(community.Code, quarter, cancellation);
            if (rejection is not null) return (null, rejection);
            reports.Add(report!);
        }

        return (CountyReport.Of(county, quarter, reports), null);
    }

    private static async Task<(List<LedgerEvent> Events, ReportCoverage Coverage)> ReadUpToAsync(IDocumentStore store, string community, long lastSequence, CancellationToken cancellation)
    {
        var typesByName = store.Options.Events.AllKnownEventTypes().ToDictionary(t => t.EventTypeName, t => t.EventType, StringComparer.Ordinal);
        var serializer = store.Options.Serializer();
        var database = await store.Storage.FindOrCreateDatabase(community);
        await using var connection = database.CreateConnection();
        await connection.OpenAsync(cancellation);
        var table = $"{store.Options.Events.DatabaseSchemaName}.mt_events";
        await using var command = new NpgsqlCommand(
            $"select {DigestColumns}, timestamp from {table} where tenant_id = $1 and seq_id <= $2 order by seq_id", connection)
        {
            Parameters = { new() { Value = community }, new() { Value = lastSequence } },
        };

        var events = new List<LedgerEvent>();
        using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long first = 0, last = 0;
        var rows = 0;
        DateTimeOffset firstAt = default, lastAt = default;
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            var sequence = reader.GetInt64(0);
            var streamId = reader.GetGuid(2);
            var type = reader.GetString(4);
            var data = reader.GetString(5);
            var at = reader.GetFieldValue<DateTimeOffset>(6);
            digest.AppendData(Encoding.UTF8.GetBytes($"{sequence}|{reader.GetGuid(1)}|{streamId}|{reader.GetInt64(3)}|{type}|{data}\n"));
            if (rows++ == 0) (first, firstAt) = (sequence, at);
            (last, lastAt) = (sequence, at);

            // A type this version of the service no longer knows is still covered by the digest.
            if (typesByName.TryGetValue(type, out var dotnetType))
            {
                await using var json = new MemoryStream(Encoding.UTF8.GetBytes(data));
                events.Add(new LedgerEvent(sequence, streamId, serializer.FromJson(dotnetType, json)));
            }
        }

        return (events, new ReportCoverage(first, last, rows, firstAt, lastAt, Convert.ToHexStringLower(digest.GetHashAndReset())));
    }

    private static Rejection UnknownCommunity(string community) => Rejection.NotFound("unknown-community", "community", $"There is no community '{community}'.");
}
