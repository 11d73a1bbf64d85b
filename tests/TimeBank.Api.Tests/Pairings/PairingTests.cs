using Marten;
using TimeBank.Api.Elders;
using TimeBank.Api.Pairings;
using TimeBank.Domain.Pairings;

namespace TimeBank.Api.Tests.Pairings;

public class PairingTests
{
    [Test]
    public async Task a_paired_elders_card_names_the_volunteer_and_the_grid_worker_with_their_phones()
    {
        var community = await Given.ACommunity();
        var gridWorker = await community.AGridWorker();
        var volunteer = await community.AVolunteer();
        var elder = await community.AnElder(gridWorkerId: gridWorker.Id);

        var pairing = await (await community.Pair(volunteer.Id, elder.Id)).ReadCreated<PairingResponse>();
        var card = await community.Http.GetFromJsonAsync<PairingCardResponse>(community.Url($"/elders/{elder.Id}/pairing-card"), Json.Options);

        Assert.That(card, Is.EqualTo(new PairingCardResponse(
            elder.Id, "李大爷", new CardContact(volunteer.Id, "王秀兰", "13800000001"), new CardContact(gridWorker.Id, "刘网格", "13900000009"), new DateOnly(2026, 11, 23))));
        var read = await community.Http.GetFromJsonAsync<ElderResponse>(community.Url($"/elders/{elder.Id}"), Json.Options);
        Assert.That(read!.Pairing!.PairingId, Is.EqualTo(pairing.PairingId));
    }

    [Test]
    public async Task a_volunteer_is_paired_with_several_elders_but_an_elder_with_one_volunteer_at_a_time()
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var other = await community.AVolunteer();
        var first = await community.AnElder();
        var second = await community.AnElder();

        await (await community.Pair(volunteer.Id, first.Id)).ReadCreated<PairingResponse>();
        await (await community.Pair(volunteer.Id, second.Id)).ReadCreated<PairingResponse>();
        var twice = await community.Pair(other.Id, first.Id);

        Assert.That((await twice.ReadProblem(HttpStatusCode.Conflict))["code"]!.GetValue<string>(), Is.EqualTo("elder-already-paired"));
        var pairings = await community.Http.GetFromJsonAsync<List<PairingResponse>>(community.Url($"/volunteers/{volunteer.Id}/pairings"), Json.Options);
        Assert.That(pairings!.Select(p => p.ElderId), Is.EquivalentTo(new[] { first.Id, second.Id }));
    }

    [Test]
    public async Task simultaneous_pairings_of_one_elder_leave_exactly_one()
    {
        var community = await Given.ACommunity();
        var elder = await community.AnElder();
        var volunteers = new List<Guid>();
        for (var i = 0; i < 6; i++) volunteers.Add((await community.AVolunteer()).Id);

        var responses = await Task.WhenAll(volunteers.Select(v => community.Pair(v, elder.Id)));

        Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Created), Is.EqualTo(1));
        Assert.That(responses.All(r => r.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict), Is.True);
        await using var session = TestHost.Factory.Store.QuerySession(community.Code);
        Assert.That((await session.Query<Pairing>().Where(p => p.ElderId == elder.Id).ToListAsync()).Count, Is.EqualTo(1));
    }

    [Test]
    public async Task an_ended_pairing_frees_the_elder_for_another_volunteer()
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var successor = await community.AVolunteer();
        var elder = await community.AnElder();
        var pairing = await (await community.Pair(volunteer.Id, elder.Id)).ReadCreated<PairingResponse>();

        var ended = await community.Http.PostAsJsonAsync(community.Url($"/pairings/{pairing.PairingId}/end"), new { reason = "replaced-by-another-volunteer", recordedBy = "grid-01" });
        var endedAgain = await community.Http.PostAsJsonAsync(community.Url($"/pairings/{pairing.PairingId}/end"), new { reason = "other", recordedBy = "grid-01" });
        var next = await community.Pair(successor.Id, elder.Id, "familiarity");

        Assert.That((await ended.Content.ReadFromJsonAsync<PairingResponse>(Json.Options))!.EndedOn, Is.EqualTo(new DateOnly(2026, 11, 23)));
        Assert.That((await endedAgain.ReadProblem(HttpStatusCode.Conflict))["code"]!.GetValue<string>(), Is.EqualTo("pairing-ended"));
        Assert.That(next.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var card = await community.Http.GetAsync(community.Url($"/elders/{elder.Id}/pairing-card"));
        Assert.That((await card.Content.ReadFromJsonAsync<PairingCardResponse>(Json.Options))!.Volunteer.Id, Is.EqualTo(successor.Id));
    }
}
