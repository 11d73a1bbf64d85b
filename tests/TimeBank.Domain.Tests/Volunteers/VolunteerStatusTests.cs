using Microsoft.Extensions.Time.Testing;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Points;
using TimeBank.Domain.TimeAccounts;
using TimeBank.Domain.Volunteers;

namespace TimeBank.Domain.Tests.Volunteers;

public class VolunteerStatusTests
{
    private static readonly CommunityCalendar Shanghai = CommunityCalendar.For("Asia/Shanghai");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero));
    private readonly Volunteer _active = new(Guid.CreateVersion7(), "arts", new DateOnly(2026, 3, 1), null, VolunteerStatus.Active, null, 0, TimeAccount.Empty, [], PointsAccount.Empty);

    [Test]
    public void an_active_volunteer_can_pause_and_resume_but_not_twice()
    {
        var paused = Volunteer.Evolve(_active, VolunteerStatusChanges.Pause(_active, PauseReason.Health, "grid-01", _clock).Event!)!;
        Assert.That(paused.Status, Is.EqualTo(VolunteerStatus.Paused));
        Assert.That(VolunteerStatusChanges.Pause(paused, PauseReason.Travel, "grid-01", _clock).Rejection!.Code, Is.EqualTo("volunteer-status"));

        var resumed = Volunteer.Evolve(paused, VolunteerStatusChanges.Resume(paused, "grid-01", _clock).Event!)!;
        Assert.That(resumed.Status, Is.EqualTo(VolunteerStatus.Active));
        Assert.That(VolunteerStatusChanges.Resume(resumed, "grid-01", _clock).Rejection!.Code, Is.EqualTo("volunteer-status"));
    }

    [Test]
    public void leaving_defaults_to_today_in_the_community_and_cannot_be_in_the_future_or_before_enrolment()
    {
        var left = VolunteerStatusChanges.Leave(_active, null, LeavingReason.MovedAway, "grid-01", Shanghai, _clock).Event!;
        Assert.That(left.LeftOn, Is.EqualTo(new DateOnly(2026, 11, 23)));

        Assert.That(VolunteerStatusChanges.Leave(_active, new DateOnly(2026, 11, 24), LeavingReason.Health, "grid-01", Shanghai, _clock).Rejection!.Field, Is.EqualTo("leftOn"));
        Assert.That(VolunteerStatusChanges.Leave(_active, new DateOnly(2026, 2, 28), LeavingReason.Health, "grid-01", Shanghai, _clock).Rejection!.Code, Is.EqualTo("leaving-before-enrolment"));

        var gone = Volunteer.Evolve(_active, left)!;
        Assert.That(VolunteerStatusChanges.Leave(gone, null, LeavingReason.Other, "grid-01", Shanghai, _clock).Rejection!.Code, Is.EqualTo("volunteer-status"));
    }
}
