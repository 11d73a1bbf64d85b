using TimeBank.Domain.Elders;
using TimeBank.Domain.Services;

namespace TimeBank.Domain.Tests.Elders;

public class ElderCareRecordTests
{
    private static readonly Guid ElderId = Guid.CreateVersion7();

    private static ServiceRecorded Served(string type, DateOnly day, int minutes) => new(
        Guid.CreateVersion7(), Guid.CreateVersion7(), [ElderId], type, new DateTimeOffset(day, new TimeOnly(9, 0), TimeSpan.FromHours(8)), minutes, day, minutes, "grid-01", DateTimeOffset.UnixEpoch);

    [Test]
    public void services_folded_in_any_order_are_kept_by_month_then_type_and_a_reversal_takes_its_own_line_down()
    {
        var visit = Served("visit", new DateOnly(2026, 3, 2), 60);
        var record = new object[]
        {
            Served("greeting", new DateOnly(2026, 3, 9), 5),
            Served("visit", new DateOnly(2026, 1, 20), 45),
            visit,
            Served("cleaning", new DateOnly(2026, 3, 30), 90),
            Served("greeting", new DateOnly(2026, 3, 10), 5),
            new ServiceReversed(visit.ServiceId, visit.VolunteerId, [ElderId], "visit", visit.ServiceDay, 60, 60, ReversalReason.EnteredInError, "grid-01", DateTimeOffset.UnixEpoch),
            Served("visit", new DateOnly(2026, 2, 14), 30),
        }.Aggregate((ElderCareRecord?)null, (r, e) => ElderCareRecord.Evolve(r, ElderId, e))!;

        Assert.That(record.ByMonthAndType, Is.EqualTo(new[]
        {
            new MonthlyServices("2026-01", "visit", 1, 45),
            new MonthlyServices("2026-02", "visit", 1, 30),
            new MonthlyServices("2026-03", "cleaning", 1, 90),
            new MonthlyServices("2026-03", "greeting", 2, 10),
            new MonthlyServices("2026-03", "visit", 0, 0),
        }));
        // 6 services recorded, 1 reversed: 5 received, 45 + 30 + 90 + 10 = 175 minutes.
        Assert.That((record.ServicesReceived, record.MinutesReceived), Is.EqualTo((5, 175)));
    }
}
