using Microsoft.Extensions.Time.Testing;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Elders;
using TimeBank.Domain.Pairings;
using TimeBank.Domain.Points;
using TimeBank.Domain.TimeAccounts;
using TimeBank.Domain.Volunteers;

namespace TimeBank.Domain.Tests.Pairings;

public class PairingTests
{
    private static readonly CommunityCalendar Shanghai = CommunityCalendar.For("Asia/Shanghai");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero));
    private readonly Volunteer _volunteer = new(Guid.CreateVersion7(), "general-care", new DateOnly(2026, 3, 1), null, VolunteerStatus.Active, null, 0, TimeAccount.Empty, [], PointsAccount.Empty);
    private readonly Elder _elder = Elder.Started(new ElderRegistered(Guid.CreateVersion7(), CareCategory.LivingAlone, "3号院", null, new DateOnly(2026, 3, 1), "grid-01", DateTimeOffset.UnixEpoch));

    [Test]
    public void an_elder_has_one_active_pairing_and_can_be_paired_again_once_it_ends()
    {
        var paired = PairingRules.Pair(Guid.CreateVersion7(), _elder, _volunteer, null, PairingBasis.Proximity, "grid-01", Shanghai, _clock).Event!;
        var elder = Elder.Evolve(_elder, paired)!;
        Assert.That(elder.Pairing, Is.EqualTo(new ActivePairing(paired.PairingId, _volunteer.Id, new DateOnly(2026, 11, 23))));

        var other = _volunteer with { Id = Guid.CreateVersion7() };
        Assert.That(PairingRules.Pair(Guid.CreateVersion7(), elder, other, null, PairingBasis.Kinship, "grid-01", Shanghai, _clock).Rejection!.Code, Is.EqualTo("elder-already-paired"));

        var pairing = Pairing.Evolve(null, paired);
        var ended = PairingRules.End(pairing, null, PairingEndReason.ReplacedByAnotherVolunteer, "grid-01", Shanghai, _clock).Event!;
        var unpaired = Elder.Evolve(elder, ended)!;
        Assert.That(unpaired.Pairing, Is.Null);
        Assert.That(PairingRules.Pair(Guid.CreateVersion7(), unpaired, other, null, PairingBasis.Kinship, "grid-01", Shanghai, _clock).IsAccepted, Is.True);
        Assert.That(PairingRules.End(Pairing.Evolve(pairing, ended), null, PairingEndReason.Other, "grid-01", Shanghai, _clock).Rejection!.Code, Is.EqualTo("pairing-ended"));
    }

    [Test]
    public void a_volunteer_who_is_paused_or_gone_takes_no_new_pairing()
    {
        var paused = _volunteer with { Status = VolunteerStatus.Paused };
        Assert.That(PairingRules.Pair(Guid.CreateVersion7(), _elder, paused, null, PairingBasis.Proximity, "grid-01", Shanghai, _clock).Rejection!.Code, Is.EqualTo("volunteer-not-active"));
        Assert.That(PairingRules.Pair(Guid.CreateVersion7(), _elder, null, null, PairingBasis.Proximity, "grid-01", Shanghai, _clock).Rejection!.Field, Is.EqualTo("volunteerId"));
    }

    [Test]
    public void a_pairing_starts_neither_in_the_future_nor_before_the_volunteer_enrolled_and_ends_after_it_starts()
    {
        Assert.That(PairingRules.Pair(Guid.CreateVersion7(), _elder, _volunteer, new DateOnly(2026, 11, 24), PairingBasis.Proximity, "g", Shanghai, _clock).Rejection!.Code, Is.EqualTo("pairing-in-future"));
        Assert.That(PairingRules.Pair(Guid.CreateVersion7(), _elder, _volunteer, new DateOnly(2026, 2, 1), PairingBasis.Proximity, "g", Shanghai, _clock).Rejection!.Code, Is.EqualTo("pairing-before-enrolment"));

        var paired = PairingRules.Pair(Guid.CreateVersion7(), _elder, _volunteer, new DateOnly(2026, 6, 1), PairingBasis.Proximity, "g", Shanghai, _clock).Event!;
        Assert.That(PairingRules.End(Pairing.Evolve(null, paired), new DateOnly(2026, 5, 31), PairingEndReason.Other, "g", Shanghai, _clock).Rejection!.Code, Is.EqualTo("end-before-start"));
    }
}
