using Marten;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Reports;

namespace TimeBank.Api.Reports;

/// <summary>
/// A closed quarter's report as it was made from the log, kept in the community's tenant under the quarter's
/// code. The events up to a closing never change, so the report made from them does not either: reading it again
/// is a document load, not a fold of the community's whole history. It names nobody (see
/// <see cref="QuarterlyReport.Named"/>), so erasing a person leaves nothing of theirs in it; its birthdays-based
/// figures are those known when it was made.
/// </summary>
/// <param name="Made">The version of the report's figures it was made with: a report kept by an earlier version
/// (without the quarter's books, or the catalogue's names) is made again from the same events when read.</param>
public sealed record KeptQuarterlyReport(string Id, QuarterlyReport Report, int Made = 0)
{
    /// <summary>2: the quarter's books (brought and carried forward) and the catalogue's names.</summary>
    public const int CurrentlyMade = 2;

    public static string IdOf(Quarter quarter) => quarter.ToString();
}

/// <summary>Sent when a quarter is closed, so that its report is made while nobody waits for it.</summary>
public sealed record MakeQuarterlyReport(string Community, string Quarter);

public static class MakeQuarterlyReportHandler
{
    /// <summary>Makes and keeps the report, unless a request made it first.</summary>
    public static async Task Handle(MakeQuarterlyReport message, IDocumentStore store, ILogger<MakeQuarterlyReport> logger, CancellationToken cancellation)
    {
        if (!Quarter.TryParse(message.Quarter, out var quarter)) return;
        var (report, rejection) = await store.QuarterlyReportAsync(message.Community, quarter, cancellation);
        if (rejection is not null) logger.LogWarning("The report of {Quarter} in {Community} was not made: {Code}", message.Quarter, message.Community, rejection.Code);
        else logger.LogDebug("The report of {Quarter} in {Community} is made ({Events} events)", message.Quarter, message.Community, report!.Coverage.Events);
    }
}

public static class KeptReportsConfiguration
{
    public static void ConfigureReports(this StoreOptions options) => options.Schema.For<KeptQuarterlyReport>();
}
