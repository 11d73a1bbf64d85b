using TimeBank.Domain.Communities;
using TimeBank.Domain.Elders;
using TimeBank.Domain.Shared;
using TimeBank.Domain.Volunteers;

namespace TimeBank.Domain.Services;

/// <summary>A service as a partner reports it, before the ledger's rules have looked at it.</summary>
public sealed record ServiceReport(
    Guid ServiceId,
    Guid VolunteerId,
    IReadOnlyList<Guid> ElderIds,
    string ServiceType,
    DateTimeOffset StartedAt,
    int Minutes,
    string RecordedBy,
    Guid? TimeSavingsRequestId = null)
{
    public DateTimeOffset EndedAt => StartedAt.AddMinutes(Minutes);

    /// <summary>Whether <paramref name="recorded"/> is this same report sent again (a retry), rather than another service under the same id.</summary>
    public bool IsRetryOf(ServiceRecord recorded) =>
        recorded.Id == ServiceId && recorded.VolunteerId == VolunteerId && recorded.ServiceType == ServiceType
        && recorded.StartedAt == StartedAt && recorded.Minutes == Minutes && recorded.ElderIds.SequenceEqual(ElderIds);
}

/// <summary>What became of one report of a batch: deposited, already recorded under its id (a resend), or refused.</summary>
public sealed record ReportOutcome(Guid ServiceId, ServiceRecorded? Deposit, Rejection? Rejection)
{
    public bool IsAlreadyRecorded => Deposit is null && Rejection is null;
}

/// <summary>Decides whether a reported service is deposited in the volunteer's time account.</summary>
public static class ServiceRecording
{
    /// <summary>How far a partner's clock may run ahead of ours before a start time counts as the future.</summary>
    public static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromMinutes(5);

    /// <summary>The answer to a report under an id another service already holds.</summary>
    public static readonly Rejection IdTaken = Rejection.Conflict("service-id-taken", "serviceId", "Another service is already recorded under this id.");

    /// <summary>
    /// Decides many reports in the order given (a partner's batch), each on the ledger as the reports before it
    /// left it: a volunteer's balance, daily banked minutes and overlaps count the deposits decided earlier in the
    /// batch, and a report under an id already recorded, or recorded earlier in the batch, is a resend when it is
    /// the same service and refused (<see cref="IdTaken"/>) when it is another.
    /// </summary>
    /// <param name="volunteers">Each volunteer the reports name, as their stream stands (null: not enrolled here).</param>
    /// <param name="recorded">The services already recorded under the ids the reports give.</param>
    /// <param name="elders">The elders the reports name that exist in this community.</param>
    /// <param name="nearby">Each volunteer's services around their reports (<see cref="NearbyServices"/>; a volunteer left out has none).</param>
    public static IReadOnlyList<ReportOutcome> DecideMany(
        IReadOnlyList<ServiceReport> reports,
        Community community,
        IReadOnlyDictionary<Guid, Volunteer?> volunteers,
        IReadOnlyDictionary<Guid, ServiceRecord> recorded,
        IReadOnlyDictionary<Guid, Elder> elders,
        IReadOnlyDictionary<Guid, NearbyServices> nearby,
        TimeProvider clock)
    {
        var states = new Dictionary<Guid, Volunteer?>(volunteers);
        var known = new Dictionary<Guid, ServiceRecord>(recorded);
        var around = new Dictionary<Guid, NearbyServices>(nearby);
        var outcomes = new List<ReportOutcome>(reports.Count);
        foreach (var report in reports)
        {
            if (known.TryGetValue(report.ServiceId, out var existing))
            {
                outcomes.Add(new ReportOutcome(report.ServiceId, null, report.IsRetryOf(existing) ? null : IdTaken));
                continue;
            }

            var others = around.GetValueOrDefault(report.VolunteerId) ?? NearbyServices.None;
            var decision = Decide(report, community, states.GetValueOrDefault(report.VolunteerId), [.. report.ElderIds.Where(elders.ContainsKey).Select(id => elders[id])], others, clock);
            if (decision.Rejection is { } rejection)
            {
                outcomes.Add(new ReportOutcome(report.ServiceId, null, rejection));
                continue;
            }

            var deposit = decision.Event!;
            states[report.VolunteerId] = Volunteer.Evolve(states[report.VolunteerId], deposit);
            var service = ServiceRecord.Started(deposit);
            known[deposit.ServiceId] = service;
            around[report.VolunteerId] = others.With(service);
            outcomes.Add(new ReportOutcome(deposit.ServiceId, deposit, null));
        }

        return outcomes;
    }

    /// <param name="community">The community: its calendar, catalogue and limits.</param>
    /// <param name="volunteer">The volunteer as their stream stands, or null when the id is unknown here.</param>
    /// <param name="elders">The elders of the report that exist in this community.</param>
    /// <param name="nearby">The volunteer's services that may overlap the report's time, and the minutes banked on the days it may fall on.</param>
    public static Decision<ServiceRecorded> Decide(
        ServiceReport report,
        Community community,
        Volunteer? volunteer,
        IReadOnlyCollection<Elder> elders,
        NearbyServices nearby,
        TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var calendar = community.Calendar;
        var type = community.FindServiceType(report.ServiceType);
        if (type is null)
        {
            return Rejection.RuleBroken("unknown-service-type", "serviceType", $"'{report.ServiceType}' is not in the service catalogue.");
        }

        if (report.Minutes <= 0)
        {
            return Rejection.RuleBroken("minutes-not-positive", "minutes", "A service lasts at least one minute.");
        }

        if (report.Minutes > type.MaxMinutes)
        {
            return Rejection.RuleBroken("minutes-over-cap", "minutes", $"A {type.Code} lasts at most {type.MaxMinutes} minutes.");
        }

        if (report.StartedAt > now + ClockSkewAllowance)
        {
            return Rejection.RuleBroken("service-in-future", "startedAt", "A service cannot start in the future.");
        }

        if (volunteer is null)
        {
            return Rejection.NotFound("unknown-volunteer", "volunteerId", "No volunteer with this id is enrolled in this community.");
        }

        var serviceDay = calendar.DayOf(report.StartedAt);
        if (serviceDay < volunteer.EnrolledOn)
        {
            return Rejection.RuleBroken("service-before-enrolment", "startedAt", $"The volunteer was enrolled on {volunteer.EnrolledOn:yyyy-MM-dd}, after this service.");
        }

        if (RefusalAfterLeaving(report, serviceDay, community, volunteer, now) is { } gone) return gone;

        var missing = report.ElderIds.Where(id => elders.All(e => e.Id != id)).ToList();
        if (missing.Count > 0)
        {
            return Rejection.NotFound("unknown-elder", "elderIds", $"No elder with id {missing[0]} is registered in this community.");
        }

        if (nearby.Clash(report.ServiceId, report.StartedAt, report.EndedAt) is { } clash)
        {
            return Rejection.RuleBroken("overlapping-service", "startedAt",
                $"The volunteer was at another service ({clash.Id}) from {clash.StartedAt:O} to {clash.EndedAt:O}.");
        }

        var banked = type.EarnsMinutes ? community.Rules.MinutesToBank(type.Code, report.Minutes, nearby.BankedOn(serviceDay), volunteer.Account.Balance) : 0;
        return new ServiceRecorded(
            report.ServiceId,
            volunteer.Id,
            report.ElderIds,
            type.Code,
            report.StartedAt,
            report.Minutes,
            serviceDay,
            banked,
            report.RecordedBy,
            now,
            report.TimeSavingsRequestId);
    }

    /// <summary>
    /// Once a volunteer has left the community (a departure or a move), nothing new is banked for them here,
    /// whatever day the service is dated: a service they started before leaving may still be recorded only
    /// within the community's grace period for late records, counted from when the leaving was recorded.
    /// </summary>
    private static Rejection? RefusalAfterLeaving(ServiceReport report, DateOnly serviceDay, Community community, Volunteer volunteer, DateTimeOffset now)
    {
        if (volunteer.Status != VolunteerStatus.Left || volunteer.LeftOn is not { } leftOn) return null;

        // A snapshot of an earlier version knows only the day: they had left by its end.
        var dayAfter = leftOn.AddDays(1).ToDateTime(TimeOnly.MinValue);
        var leftAt = volunteer.LeftAt ?? new DateTimeOffset(dayAfter, community.Calendar.TimeZone.GetUtcOffset(dayAfter));
        var startedBefore = serviceDay <= leftOn && report.StartedAt < leftAt;
        if (!startedBefore)
        {
            return Rejection.RuleBroken("service-after-leaving", "startedAt", $"The volunteer left the community on {leftOn:yyyy-MM-dd}, before this service.");
        }

        var grace = community.Rules.LateRecordGraceDays;
        if (now >= leftAt.AddDays(grace))
        {
            return Rejection.RuleBroken("service-after-leaving", "startedAt", grace == 0
                ? $"The volunteer left the community on {leftOn:yyyy-MM-dd}; the community records nothing for them after they left."
                : $"The volunteer left the community on {leftOn:yyyy-MM-dd}; services before that could be recorded for {grace} days after it was recorded.");
        }

        return null;
    }
}
