using TimeBank.Api.Services;

namespace TimeBank.Api.Tests.Services;

/// <summary>A partner's nightly sync: many records in one call, each with its own outcome.</summary>
public class RecordingManyServicesTests
{
    private static object Record(Guid volunteerId, Guid elderId, string startedAt, int minutes, string type = "home-visit", Guid? serviceId = null) =>
        new { serviceId, volunteerId, elderIds = new[] { elderId }, serviceType = type, startedAt, minutes, recordedBy = "sync-01" };

    [Test]
    public async Task each_record_gets_its_outcome_and_a_record_sees_the_ones_before_it()
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var elder = await community.AnElder();
        var earlier = await community.AService(volunteer.Id, elder.Id, "2026-11-20T09:00:00+08:00", 60);
        var resent = earlier.ServiceId;

        var response = await community.Http.PostAsJsonAsync(community.Url("/services/batch"), new
        {
            records = new[]
            {
                Record(volunteer.Id, elder.Id, "2026-11-21T09:00:00+08:00", 60),
                Record(volunteer.Id, elder.Id, "2026-11-20T09:00:00+08:00", 60, serviceId: resent),
                Record(volunteer.Id, elder.Id, "2026-11-21T09:00:00+08:00", 0),
                // Overlaps the first record of this very call.
                Record(volunteer.Id, elder.Id, "2026-11-21T09:30:00+08:00", 30),
                Record(volunteer.Id, Guid.NewGuid(), "2026-11-22T09:00:00+08:00", 30),
                Record(volunteer.Id, elder.Id, "2026-11-22T08:00:00+08:00", 10, "greeting-call"),
            },
        });

        var result = (await response.Content.ReadFromJsonAsync<RecordServicesResponse>(Json.Options))!;
        Assert.That(result.Outcomes.Select(o => (o.Index, o.Outcome, o.Code)), Is.EqualTo(new[]
        {
            (0, RecordOutcomeKind.Recorded, (string?)null),
            (1, RecordOutcomeKind.AlreadyRecorded, null),
            (2, RecordOutcomeKind.Refused, "validation"),
            (3, RecordOutcomeKind.Refused, "overlapping-service"),
            (4, RecordOutcomeKind.Refused, "unknown-elder"),
            (5, RecordOutcomeKind.Recorded, null),
        }));
        Assert.That(result.Outcomes[2].Errors!.Keys, Is.EqualTo(new[] { "minutes" }));
        Assert.That((result.Recorded, result.AlreadyRecorded, result.Refused), Is.EqualTo((2, 1, 3)));
        // 60 before, then 60 and 10 more.
        Assert.That((await community.TimeAccountOf(volunteer.Id)).Balance, Is.EqualTo(130));
    }

    [Test]
    public async Task a_call_counts_the_days_cap_with_services_recorded_before_it_hours_away()
    {
        var community = await Given.ACommunity();
        await community.CapDailyMinutes(120);
        var volunteer = await community.AVolunteer();
        var elder = await community.AnElder();
        // 22 November in Shanghai, 90 minutes at 07:00: thirteen hours before the call's first record, too long ago
        // to overlap it, but the same community day.
        var morning = await community.AService(volunteer.Id, elder.Id, "2026-11-22T07:00:00+08:00", 90);
        Assert.That(morning.MinutesBanked, Is.EqualTo(90));

        var response = await community.Http.PostAsJsonAsync(community.Url("/services/batch"), new
        {
            records = new[]
            {
                Record(volunteer.Id, elder.Id, "2026-11-22T20:00:00+08:00", 60),
                Record(volunteer.Id, elder.Id, "2026-11-22T22:00:00+08:00", 30),
                Record(volunteer.Id, elder.Id, "2026-11-23T07:30:00+08:00", 60),
            },
        });

        var result = (await response.Content.ReadFromJsonAsync<RecordServicesResponse>(Json.Options))!;
        Assert.That(result.Recorded, Is.EqualTo(3));
        // The 22nd: 90, then 30 of 60, then 0 of 30. The 23rd: 60 whole.
        var banked = new List<int>();
        foreach (var outcome in result.Outcomes) banked.Add((await community.ServiceOf(outcome.ServiceId!.Value)).MinutesBanked);

        Assert.That(banked, Is.EqualTo(new[] { 30, 0, 60 }));
        Assert.That((await community.TimeAccountOf(volunteer.Id)).Balance, Is.EqualTo(90 + 30 + 60));
    }

    [Test]
    public async Task a_record_is_checked_against_its_own_volunteers_services_recorded_before_the_call_reversed_ones_left_out()
    {
        var community = await Given.ACommunity();
        var first = await community.AVolunteer();
        var second = await community.AVolunteer();
        var elder = await community.AnElder();
        await community.AService(first.Id, elder.Id, "2026-11-20T09:00:00+08:00", 60);
        var reversed = await community.AService(first.Id, elder.Id, "2026-11-20T14:00:00+08:00", 60);
        var reversal = await community.Http.PostAsJsonAsync(community.Url($"/services/{reversed.ServiceId}/reversal"), new { reason = "not-done", recordedBy = "grid-01" });
        Assert.That(reversal.IsSuccessStatusCode, await reversal.Content.ReadAsStringAsync());

        var response = await community.Http.PostAsJsonAsync(community.Url("/services/batch"), new
        {
            records = new[]
            {
                // Starts inside the 09:00-10:00 visit.
                Record(first.Id, elder.Id, "2026-11-20T09:30:00+08:00", 30),
                // Starts before it and ends inside it.
                Record(first.Id, elder.Id, "2026-11-20T08:30:00+08:00", 45),
                // The same time, but the other volunteer's.
                Record(second.Id, elder.Id, "2026-11-20T09:30:00+08:00", 30),
                // Inside the reversed visit, which no longer counts.
                Record(first.Id, elder.Id, "2026-11-20T14:15:00+08:00", 30),
                // Starts as the visit ends.
                Record(first.Id, elder.Id, "2026-11-20T10:00:00+08:00", 30),
            },
        });

        var result = (await response.Content.ReadFromJsonAsync<RecordServicesResponse>(Json.Options))!;
        Assert.That(result.Outcomes.Select(o => (o.Outcome, o.Code)), Is.EqualTo(new[]
        {
            (RecordOutcomeKind.Refused, "overlapping-service"),
            (RecordOutcomeKind.Refused, "overlapping-service"),
            (RecordOutcomeKind.Recorded, (string?)null),
            (RecordOutcomeKind.Recorded, null),
            (RecordOutcomeKind.Recorded, null),
        }));
        // The first: 60, the reversed 60 taken back, then 30 and 30. The second: 30.
        Assert.That((await community.TimeAccountOf(first.Id)).Balance, Is.EqualTo(60 + 30 + 30));
        Assert.That((await community.TimeAccountOf(second.Id)).Balance, Is.EqualTo(30));
    }

    [Test]
    public async Task a_night_of_two_thousand_greetings_lands_in_one_call()
    {
        var community = await Given.ACommunity();
        var volunteers = new List<Guid>();
        for (var i = 0; i < 20; i++) volunteers.Add((await community.AVolunteer()).Id);
        var elder = await community.AnElder();
        var from = new DateTime(2026, 8, 1, 8, 0, 0);

        // 20 volunteers × 100 days, one ten-minute call a day each.
        var records = volunteers.SelectMany(v => Enumerable.Range(0, 100).Select(d => Record(v, elder.Id, $"{from.AddDays(d):yyyy-MM-dd}T08:00:00+08:00", 10, "greeting-call"))).ToArray();
        var response = await community.Http.PostAsJsonAsync(community.Url("/services/batch"), new { records });

        var result = (await response.Content.ReadFromJsonAsync<RecordServicesResponse>(Json.Options))!;
        Assert.That((result.Recorded, result.Refused), Is.EqualTo((2000, 0)));
        Assert.That((await community.TimeAccountOf(volunteers[7])).Balance, Is.EqualTo(1000));
        Assert.That(await community.EventCount(), Is.EqualTo(1 + 20 + 1 + 2000));
    }

    [Test]
    public async Task more_records_than_a_call_takes_are_refused_whole()
    {
        var community = await Given.ACommunity();
        var records = Enumerable.Range(0, RecordServices.MaxRecords + 1).Select(_ => Record(Guid.NewGuid(), Guid.NewGuid(), "2026-11-21T09:00:00+08:00", 10)).ToArray();

        var response = await community.Http.PostAsJsonAsync(community.Url("/services/batch"), new { records });

        Assert.That((await response.ReadProblem(HttpStatusCode.BadRequest)).ErrorFields(), Is.EqualTo(new[] { "records" }));
    }
}
