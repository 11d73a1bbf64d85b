using Marten;
using TimeBank.Api.Communities;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.People;
using TimeBank.Domain.Care;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Elders;
using TimeBank.Domain.GridWorkers;
using TimeBank.Domain.Pairings;
using TimeBank.Domain.Volunteers;
using Wolverine.Http;

namespace TimeBank.Api.Care;

/// <summary>Where each of the six ones of a pairing stands on <paramref name="AsOf"/> (today, or the last day of an ended pairing).</summary>
public sealed record PairingCadenceResponse(Guid PairingId, Guid ElderId, Guid VolunteerId, DateOnly AsOf, IReadOnlyList<RhythmStatus> Rhythms);

/// <summary>Paired elders waiting for a greeting, a visit or a service, those waiting longest first.</summary>
public sealed record OverdueResponse(DateOnly Today, int Count, IReadOnlyList<OverdueElder> Elders);

/// <summary>A festival coming up, with the days in which its activity counts.</summary>
public sealed record UpcomingFestival(Festival Festival, DateOnly Date, DateOnly WindowStart, DateOnly WindowEnd);

/// <summary>An elder's birthday coming up, with who is paired with them (none when unpaired).</summary>
public sealed record UpcomingBirthday(Guid ElderId, DateOnly Date, bool Lunar, int? Turns, Guid? PairingId, Guid? VolunteerId, DateOnly WindowStart, DateOnly WindowEnd);

public sealed record UpcomingResponse(DateOnly From, DateOnly To, IReadOnlyList<UpcomingFestival> Festivals, IReadOnlyList<UpcomingBirthday> Birthdays);

/// <summary>One row of compliance: what was owed and kept per rhythm, and over all six.</summary>
public sealed record ComplianceRow(string Key, int Owed, int Kept, int? PercentKept, IReadOnlyList<RhythmTally> Rhythms);

public sealed record ComplianceResponse(DateOnly From, DateOnly To, string By, IReadOnlyList<ComplianceRow> Rows);

/// <summary>An elder in care with no active pairing, and how their last pairing ended if they had one.</summary>
public sealed record UnpairedElder(Guid ElderId, CareCategory Category, Guid? GridWorkerId, DateOnly RegisteredOn, DateOnly? LastPairingEndedOn, PairingEndReason? LastPairingEndReason);

/// <summary>An active pairing whose volunteer has paused or left: the elder needs a new volunteer.</summary>
public sealed record PairingWithInactiveVolunteer(Guid PairingId, Guid ElderId, Guid VolunteerId, VolunteerStatus VolunteerStatus);

public sealed record UnpairedResponse(IReadOnlyList<UnpairedElder> Elders, IReadOnlyList<PairingWithInactiveVolunteer> PairingsWithInactiveVolunteer);

public static class CadenceEndpoints
{
    public const int MaxUpcomingDays = 366;
    public const int MaxRangeDays = 366;

    private static readonly string[] GroupingsOffered = ["community", "pairing", "volunteer", "team", "category"];

    /// <summary>Where each of the six ones stands today for one pairing: kept, due, missed since a day, not owed yet, or no occasion.</summary>
    [WolverineGet("/api/v1/communities/{community}/pairings/{pairingId}/cadence", Name = "GetPairingCadence")]
    [Tags("Care cadence")]
    public static async Task<Results<Ok<PairingCadenceResponse>, ProblemHttpResult>> OfPairing(string community, [NotBody] Community home, Guid pairingId, IQuerySession session, TimeProvider clock, CancellationToken cancellation)
    {
        var pairing = await session.LoadAsync<Pairing>(pairingId, cancellation);
        if (pairing is null) return ProblemResponses.NotFound("unknown-pairing", "No pairing with this id in this community.");

        var today = home.Calendar.Today(clock);
        var asOf = pairing.EndedOn is { } ended && ended <= today ? ended.AddDays(-1) : today;
        var received = await session.ReceivedForStatusAsync(pairing, asOf, cancellation);
        var birthday = await session.BirthdayOfAsync(pairing.ElderId, cancellation);
        return TypedResults.Ok(new PairingCadenceResponse(pairing.Id, pairing.ElderId, pairing.VolunteerId, asOf, CadenceStatus.Of(pairing, home.Cadence, birthday, received, asOf)));
    }

    /// <summary>The overdue list of the community, or of one grid worker's households.</summary>
    [WolverineGet("/api/v1/communities/{community}/care/overdue", Name = "ListOverdueCare")]
    [Tags("Care cadence")]
    public static async Task<Results<Ok<OverdueResponse>, ProblemHttpResult>> Overdue(string community, [NotBody] Community home, Guid? gridWorkerId, IQuerySession session, TimeProvider clock, CancellationToken cancellation)
    {
        if (gridWorkerId is { } id && await session.LoadAsync<GridWorker>(id, cancellation) is null)
        {
            return ProblemResponses.NotFound("unknown-grid-worker", "No grid worker with this id in this community.");
        }

        var today = home.Calendar.Today(clock);
        var pairings = await session.Query<Pairing>().Where(p => p.EndedOn == null).ToListAsync(cancellation);
        var elders = (await session.LoadManyAsync<Elder>(cancellation, pairings.Select(p => p.ElderId))).ToDictionary(e => e.Id);
        if (gridWorkerId is not null) pairings = pairings.Where(p => elders.GetValueOrDefault(p.ElderId)?.GridWorkerId == gridWorkerId).ToList();

        var since = pairings.Count == 0 ? today : pairings.Min(p => p.StartedOn);
        var lastDays = await session.LastDaysAsync(since, today, null, cancellation);
        var overdue = OverdueCare.InOrder(pairings
            .Where(p => elders.ContainsKey(p.ElderId))
            .Select(p => OverdueCare.Of(elders[p.ElderId], p, home.Cadence, new CareReceived(lastDays[p.ElderId]), today))
            .OfType<OverdueElder>());
        return TypedResults.Ok(new OverdueResponse(today, overdue.Count, overdue));
    }

    /// <summary>Festivals and birthdays in the next <paramref name="days"/> days (14 unless asked), today included.</summary>
    [WolverineGet("/api/v1/communities/{community}/care/upcoming", Name = "ListUpcomingOccasions")]
    [Tags("Care cadence")]
    public static async Task<Results<Ok<UpcomingResponse>, ProblemHttpResult>> Upcoming(string community, [NotBody] Community home, int? days, IQuerySession session, TimeProvider clock, CancellationToken cancellation)
    {
        if (days is < 1 or > MaxUpcomingDays) return ProblemResponses.Validation("days", $"Ask for 1 to {MaxUpcomingDays} days.");

        var from = home.Calendar.Today(clock);
        var to = from.AddDays((days ?? 14) - 1);
        var cadence = home.Cadence;
        var festivals = FestivalsBetween(from, to, cadence);

        var birthdays = await session.BirthdaysAsync(cancellation);
        var elders = (await session.LoadManyAsync<Elder>(cancellation, birthdays.Keys)).ToDictionary(e => e.Id);
        var upcoming = birthdays
            .Where(b => elders.ContainsKey(b.Key))
            .SelectMany(b => b.Value.Between(from, to).Select(date => (ElderId: b.Key, Birthday: b.Value, Date: date)))
            .Select(b => new UpcomingBirthday(
                b.ElderId, b.Date, b.Birthday.IsLunar, b.Birthday.AgeOn(b.Date), elders[b.ElderId].Pairing?.PairingId, elders[b.ElderId].Pairing?.VolunteerId,
                b.Date.AddDays(-cadence.BirthdayWindowDays), b.Date.AddDays(cadence.BirthdayWindowDays)))
            .OrderBy(b => b.Date).ThenBy(b => b.ElderId)
            .ToList();
        return TypedResults.Ok(new UpcomingResponse(from, to, festivals, upcoming));
    }

    /// <summary>The traditional festivals between two days, with the window in which this community counts an activity.</summary>
    [WolverineGet("/api/v1/communities/{community}/care/festivals", Name = "ListFestivals")]
    [Tags("Care cadence")]
    public static async Task<Results<Ok<List<UpcomingFestival>>, ProblemHttpResult>> Festivals(string community, [NotBody] Community home, DateOnly? from, DateOnly? to, IQuerySession session, CancellationToken cancellation)
    {
        if (RangeProblem(from, to) is { } problem) return problem;
        return TypedResults.Ok(FestivalsBetween(from!.Value, to!.Value, home.Cadence));
    }

    /// <summary>
    /// How well the six ones were kept from <paramref name="from"/> to <paramref name="to"/>, per community (the
    /// default), pairing, volunteer, team or care category. Only periods that are over count.
    /// </summary>
    [WolverineGet("/api/v1/communities/{community}/care/compliance", Name = "GetCareCompliance")]
    [Tags("Care cadence")]
    public static async Task<Results<Ok<ComplianceResponse>, ProblemHttpResult>> Compliance(string community, [NotBody] Community home, DateOnly? from, DateOnly? to, string? by, IQuerySession session, TimeProvider clock, CancellationToken cancellation)
    {
        var grouping = by ?? "community";
        if (RangeProblem(from, to) is { } problem) return problem;

        if (!GroupingsOffered.Contains(grouping)) return ProblemResponses.Validation("by", $"Group by one of: {string.Join(", ", GroupingsOffered)}.");

        var owed = await session.OwedCareAsync(home, from!.Value, to!.Value, home.Calendar.Today(clock), cancellation);
        var keyOf = await KeyOfAsync(grouping, home.Code, owed, session, cancellation);
        var rows = owed.Periods
            .GroupBy(keyOf)
            .Select(g => Row(g.Key, g))
            .OrderBy(r => r.Key, StringComparer.Ordinal)
            .ToList();
        return TypedResults.Ok(new ComplianceResponse(from!.Value, to!.Value, grouping, rows));
    }

    /// <summary>Elders in care without an active pairing, and active pairings whose volunteer has paused or left.</summary>
    [WolverineGet("/api/v1/communities/{community}/care/unpaired", Name = "ListUnpairedElders")]
    [Tags("Care cadence")]
    public static async Task<Results<Ok<UnpairedResponse>, ProblemHttpResult>> Unpaired(string community, [NotBody] Community home, IQuerySession session, CancellationToken cancellation)
    {
        var unpaired = await session.Query<Elder>().Where(e => e.Pairing == null).ToListAsync(cancellation);
        var unpairedIds = unpaired.Select(e => e.Id).ToList();
        var lastEnded = (await session.Query<Pairing>().Where(p => p.ElderId.IsOneOf(unpairedIds)).ToListAsync(cancellation))
            .GroupBy(p => p.ElderId)
            .ToDictionary(g => g.Key, g => g.MaxBy(p => p.EndedOn)!);
        // An elder who died or moved away is no longer in this community's care.
        var elders = unpaired
            .Select(e => (Elder: e, Last: lastEnded.GetValueOrDefault(e.Id)))
            .Where(x => x.Last?.EndReason is not (PairingEndReason.ElderDeceased or PairingEndReason.ElderMovedAway))
            .Select(x => new UnpairedElder(x.Elder.Id, x.Elder.Category, x.Elder.GridWorkerId, x.Elder.RegisteredOn, x.Last?.EndedOn, x.Last?.EndReason))
            .OrderBy(e => OverdueCare.Priority(e.Category)).ThenBy(e => e.RegisteredOn).ThenBy(e => e.ElderId)
            .ToList();

        var active = await session.Query<Pairing>().Where(p => p.EndedOn == null).ToListAsync(cancellation);
        var volunteers = (await session.LoadManyAsync<Volunteer>(cancellation, active.Select(p => p.VolunteerId).Distinct())).ToDictionary(v => v.Id);
        var stranded = active
            .Where(p => volunteers.TryGetValue(p.VolunteerId, out var v) && v.Status != VolunteerStatus.Active)
            .Select(p => new PairingWithInactiveVolunteer(p.Id, p.ElderId, p.VolunteerId, volunteers[p.VolunteerId].Status))
            .OrderBy(p => p.ElderId)
            .ToList();
        return TypedResults.Ok(new UnpairedResponse(elders, stranded));
    }

    private static async Task<Func<OwedPeriod, string>> KeyOfAsync(string grouping, string community, OwedCare owed, IQuerySession session, CancellationToken cancellation)
    {
        switch (grouping)
        {
            case "pairing": return o => o.Pairing.Id.ToString();
            case "volunteer": return o => o.Pairing.VolunteerId.ToString();
            case "category":
                // The category the elder was in when the period ended.
                return o => KebabCase(owed.Elders.TryGetValue(o.Pairing.ElderId, out var e) ? e.CategoryOn(o.Period.End) : CareCategory.Comfortable);
            case "team":
                var ids = owed.Periods.Select(o => o.Pairing.VolunteerId).Distinct();
                var teams = (await session.LoadManyAsync<Volunteer>(cancellation, ids)).ToDictionary(v => v.Id, v => v.Team);
                return o => teams.GetValueOrDefault(o.Pairing.VolunteerId) ?? "";
            default: return _ => community;
        }
    }

    private static ComplianceRow Row(string key, IEnumerable<OwedPeriod> periods)
    {
        var tally = CadenceCompliance.Tally(periods);
        int owed = tally.Sum(t => t.Owed), kept = tally.Sum(t => t.Kept);
        return new ComplianceRow(key, owed, kept, CadenceCompliance.PercentKept(owed, kept), tally);
    }

    private static string KebabCase(CareCategory category) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(category.ToString());

    private static List<UpcomingFestival> FestivalsBetween(DateOnly from, DateOnly to, CareCadence cadence) =>
        ChineseFestivals.Between(from, to)
            .Select(f => new UpcomingFestival(f.Festival, f.Date, f.Date.AddDays(-cadence.FestivalWindowDays), f.Date.AddDays(cadence.FestivalWindowDays)))
            .ToList();

    /// <summary>A range of days given as <c>from</c> and <c>to</c>: both there, in order, at most a year and a day.</summary>
    private static ProblemHttpResult? RangeProblem(DateOnly? from, DateOnly? to)
    {
        if (from is null) return ProblemResponses.Validation("from", "Give the first day, e.g. 2026-10-01.");
        if (to is null) return ProblemResponses.Validation("to", "Give the last day, e.g. 2026-12-31.");
        if (to < from || to.Value.DayNumber - from.Value.DayNumber >= MaxRangeDays)
        {
            return ProblemResponses.Validation("to", $"Give a last day on or after the first, at most {MaxRangeDays} days in all.");
        }

        return null;
    }

}
