using TimeBank.Domain.Services;
using TimeBank.Domain.Volunteers;

namespace TimeBank.Domain.Tests.Volunteers;

public class VolunteerTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 2, 0, 0, TimeSpan.Zero);

    [Test]
    public void the_time_account_holds_the_sum_of_the_banked_minutes()
    {
        var id = Guid.CreateVersion7();
        object[] history =
        [
            new VolunteerEnrolled(id, "arts", new DateOnly(2026, 1, 5), "partner-17", "grid-01", At),
            Service(id, minutes: 90, banked: 90),
            Service(id, minutes: 15, banked: 15),
            Service(id, minutes: 30, banked: 0),
        ];

        var volunteer = history.Aggregate((Volunteer?)null, Volunteer.Evolve)!;

        Assert.Multiple(() =>
        {
            // 90 + 15 + 0 minutes banked, three services.
            Assert.That(volunteer.Account.Balance, Is.EqualTo(105));
            Assert.That(volunteer.ServicesRecorded, Is.EqualTo(3));
            Assert.That(volunteer.Team, Is.EqualTo("arts"));
            Assert.That(volunteer.ExternalReference, Is.EqualTo("partner-17"));
            Assert.That(volunteer.Status, Is.EqualTo(VolunteerStatus.Active));
        });
    }

    [Test]
    public void a_service_before_any_enrolment_builds_no_volunteer() =>
        Assert.That(Volunteer.Evolve(null, Service(Guid.CreateVersion7(), 10, 10)), Is.Null);

    private static ServiceRecorded Service(Guid volunteerId, int minutes, int banked) =>
        new(Guid.CreateVersion7(), volunteerId, [Guid.CreateVersion7()], "home-visit", At, minutes, new DateOnly(2026, 11, 23), banked, "grid-01", At);
}
