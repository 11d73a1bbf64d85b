using System.Security.Cryptography;
using System.Text;
using JasperFx.Events;
using Marten;
using TimeBank.Api.Care;
using TimeBank.Api.Communities;
using TimeBank.Api.Counties;
using TimeBank.Api.Infrastructure.EventStore;
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

        // A closed quarter's events never change, so neither does its report: made once, then kept.
        var kept = await session.LoadAsync<KeptQuarterlyReport>(KeptQuarterlyReport.IdOf(quarter), cancellation);
        var report = kept is { Made: KeptQuarterlyReport.CurrentlyMade }
            ? kept.Report
            : await MakeAndKeepAsync(store, session, community, quarter, closing, cancellation);
        var names = (await session.Query<PersonalDetails>().Select(p => new { p.Id, p.Name }).ToListAsync(cancellation)).ToDictionary(p => p.Id, p => p.Name);
        return (report.Named(id => names.GetValueOrDefault(id)), null);
    }

    /// <summary>
    /// Folds the community's log up to the closing into the quarter's report, and keeps it once nothing can be
    /// added below the closing any more (a write that was running when the closing committed may still commit
    /// events numbered before it): a report made while such a write still runs is answered, not kept.
    /// </summary>
    private static async Task<QuarterlyReport> MakeAndKeepAsync(
        IDocumentStore store, IQuerySession session, string community, Quarter quarter, IEvent closing, CancellationToken cancellation)
    {
        var settled = await EventLogReader.WritersInFlightEndedAsync(store, community, TimeSpan.FromSeconds(30), cancellation);
        var fold = new QuarterlyReporting.Fold(quarter);
        var coverage = await ReadUpToAsync(store, community, closing.Sequence, fold, cancellation);
        var birthdays = await session.BirthdaysAsync(cancellation);
        var report = fold.Report(coverage, id => birthdays.GetValueOrDefault(id));

        // The awards are appended with the closing, in one transaction; the range must hold all of them.
        var closed = (QuarterClosed)closing.Data;
        if (report.Totals.PointsAwarded != closed.PointsAwarded)
        {
            throw new InvalidOperationException($"The events up to the closing of {quarter} in {community} hold {report.Totals.PointsAwarded} points awarded; the closing says {closed.PointsAwarded}.");
        }

        if (!settled) return report;

        // Two nodes making it at once store the same document.
        await using var keeping = store.LightweightSession(community);
        keeping.Store(new KeptQuarterlyReport(KeptQuarterlyReport.IdOf(quarter), report, KeptQuarterlyReport.CurrentlyMade));
        await keeping.SaveChangesAsync(cancellation);
        return report;
    }

    /// <summary>
    /// The county's quarter: every community's report, read in its own tenant. Refused until every community of
    /// the county has closed the quarter, so the county's figures are never a mix of settled and open quarters.
    /// </summary>
    public static async Task<(CountyReport? Report, Rejection? Rejection)> CountyReportAsync(
        this IDocumentStore store, string county, Quarter quarter, CancellationToken cancellation)
    {
        var communities = await store.CommunitiesOfCountyAsync(county, cancellation);
        if (communities.Count == 0) return (null, UnknownId.County(county));
        var open = communities.Where(c => c.Closing(quarter) is null).Select(c => c.Code).ToList();
        if (open.Count > 0)
        {
            return (null, Rejection.Conflict("quarter-not-closed-everywhere", "quarter", $"{quarter} is not closed yet in: {string.Join(", ", open)}."));
        }

        var reports = new (QuarterlyReport? Report, Rejection? Rejection)[communities.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, communities.Count), new ParallelOptions { MaxDegreeOfParallelism = EventLogReader.CommunitiesAtOnce, CancellationToken = cancellation },
            async (i, token) => reports[i] = await store.QuarterlyReportAsync(communities[i].Code, quarter, token));
        if (reports.FirstOrDefault(r => r.Rejection is not null).Rejection is { } refused) return (null, refused);
        return (CountyReport.Of(county, quarter, [.. reports.Select(r => r.Report!)]), null);
    }

    /// <summary>Streams the community's events through the report's fold, and digests the very rows it folds.</summary>
    private static async Task<ReportCoverage> ReadUpToAsync(IDocumentStore store, string community, long lastSequence, QuarterlyReporting.Fold fold, CancellationToken cancellation)
    {
        var deserialize = EventLogReader.Deserializer(store);
        using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        StoredEvent? first = null, last = null;
        var rows = 0;
        await foreach (var stored in EventLogReader.ReadAsync(store, community, lastSequence, cancellation))
        {
            // One line per event, as `psql -At -F '|'` prints `seq_id, id, stream_id, version, type, data::text`:
            // an auditor can recompute the digest without our code.
            digest.AppendData(Encoding.UTF8.GetBytes($"{stored.Sequence}|{stored.Id}|{stored.StreamId}|{stored.Version}|{stored.Type}|"));
            digest.AppendData(stored.Json);
            digest.AppendData("\n"u8);
            rows++;
            first ??= stored;
            last = stored;

            // A type this version of the service no longer knows is still covered by the digest.
            if (deserialize(stored) is { } data) fold.Take(new LedgerEvent(stored.Sequence, stored.StreamId, data));
        }

        Infrastructure.Telemetry.TimeBankMetrics.Folded("report", rows);
        return new ReportCoverage(first?.Sequence ?? 0, last?.Sequence ?? 0, rows, first?.Timestamp ?? default, last?.Timestamp ?? default, Convert.ToHexStringLower(digest.GetHashAndReset()));
    }

    private static Rejection UnknownCommunity(string community) => Rejection.NotFound("unknown-community", "community", $"There is no community '{community}'.");
}
