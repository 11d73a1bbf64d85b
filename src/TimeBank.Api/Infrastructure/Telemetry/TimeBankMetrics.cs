using System.Diagnostics.Metrics;

namespace TimeBank.Api.Infrastructure.Telemetry;

/// <summary>
/// The ledger's own figures, beside the ones ASP.NET Core and Npgsql publish. One meter for the process: a
/// counter counts what this node did; Prometheus (or the OTLP collector) adds the nodes up.
/// </summary>
public static class TimeBankMetrics
{
    public const string MeterName = "TimeBank";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Services recorded (each one a deposit of minutes), by community.</summary>
    public static readonly Counter<long> Deposits = Meter.CreateCounter<long>("timebank.deposits", "{deposit}", "Services recorded, each a deposit into a volunteer's time account.");

    public static readonly Counter<long> DepositedMinutes = Meter.CreateCounter<long>("timebank.deposited_minutes", "{minute}", "Minutes banked by the services recorded.");

    /// <summary>Problems answered, by their code (validation, concurrent-change, unknown-community...).</summary>
    public static readonly Counter<long> Refusals = Meter.CreateCounter<long>("timebank.refusals", "{refusal}", "Requests refused with a problem, by its code.");

    public static readonly Counter<long> RacesDecidedAgain = Meter.CreateCounter<long>("timebank.races_decided_again", "{attempt}", "Writes run again because another write to the same records committed first.");

    public static readonly Counter<long> IdempotentReplays = Meter.CreateCounter<long>("timebank.idempotent_replays", "{request}", "Retried writes answered with the answer kept under their Idempotency-Key.");

    /// <summary>Events folded by whole-history work, by what it is (replay, report): its progress.</summary>
    public static readonly Counter<long> EventsFolded = Meter.CreateCounter<long>("timebank.events_folded", "{event}", "Events read from the log and folded by a replay or a report.");

    public static readonly Counter<long> CommunitiesFolded = Meter.CreateCounter<long>("timebank.communities_folded", "{community}", "Communities whose log a replay or a report has finished folding.");

    public static void Refused(string code) => Refusals.Add(1, new KeyValuePair<string, object?>("code", code));

    public static void Folded(string work, long events)
    {
        EventsFolded.Add(events, new KeyValuePair<string, object?>("work", work));
        CommunitiesFolded.Add(1, new KeyValuePair<string, object?>("work", work));
    }
}
