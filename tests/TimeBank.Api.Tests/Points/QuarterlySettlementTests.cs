using Marten.Events;
using TimeBank.Api.Points;
using TimeBank.Domain.Communities;

namespace TimeBank.Api.Tests.Points;

/// <summary>
/// A volunteer's third quarter of 2026, scored by rules published for it, with the points worked out by hand;
/// then a record and a reversal arriving after it closed, carried into the fourth quarter.
/// </summary>
public class QuarterlySettlementTests
{
    private static readonly object Rules = new
    {
        effectiveFrom = "2026Q3",
        pointsPerHour = 12,
        serviceTypeRates = new[] { new { serviceType = "greeting-call", pointsPerHour = 6 } },
        categoryWeights = new[] { new { category = "disabled", weightPercent = 150 }, new { category = "living-alone", weightPercent = 120 } },
        rhythmBonuses = new[] { new { rhythm = "weekly-visit", minPercentKept = 90, points = 20 } },
        quarterCap = 200,
        onlyConfirmedServicesCount = false,
        recordedBy = "office-01",
    };

    [Test]
    public async Task closing_a_quarter_awards_each_volunteer_the_points_worked_out_from_its_services()
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var idle = await community.AVolunteer();
        var gone = await community.AVolunteer();
        await community.Http.PostAsJsonAsync(community.Url($"/volunteers/{gone.Id}/departure"), new { leftOn = "2026-06-01", reason = "health", recordedBy = "grid-01" });
        var frail = await community.AnElder("disabled");
        var alone = await community.AnElder("living-alone");
        Assert.That((await community.Http.PostAsJsonAsync(community.Url("/scoring-rules"), Rules)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await community.Http.PostAsJsonAsync(community.Url("/pairings"),
            new { volunteerId = volunteer.Id, elderId = frail.Id, basis = "kinship", startedOn = "2026-07-01", recordedBy = "grid-01" })).StatusCode, Is.EqualTo(HttpStatusCode.Created));

        // Paired on Wednesday 1 July: the whole weeks of Q3 start on Mondays 6 July to 21 September (12 weeks).
        // An hour's visit to the disabled elder in 11 of them: 12 × 150% = 18 points each, 198 in all.
        var monday = new DateOnly(2026, 7, 6);
        for (var week = 0; week < 12; week++)
        {
            if (week != 5) await community.AService(volunteer.Id, frail.Id, $"{monday.AddDays(7 * week):yyyy-MM-dd}T15:00:00+08:00", 60);
        }

        // An hour for the elder living alone: 12 × 120% = 14.4, so 14.
        var august = await community.AService(volunteer.Id, alone.Id, "2026-08-15T10:00:00+08:00", 60);
        // A visit that was not done, reversed before the closing: it counts for nothing.
        var wrong = await community.AService(volunteer.Id, alone.Id, "2026-08-20T10:00:00+08:00", 60);
        await community.Http.PostAsJsonAsync(community.Url($"/services/{wrong.ServiceId}/reversal"), new { reason = "not-done", recordedBy = "grid-01" });
        // A quarter-hour call at 23:30 on 30 September in Shanghai (15:30 UTC): 15 × 6 × 120% ÷ 60 = 1.8, so 2.
        await community.AService(volunteer.Id, alone.Id, "2026-09-30T23:30:00+08:00", 15, "greeting-call");
        // Half past midnight on 1 October in Shanghai is still 30 September in UTC, but it is Q4's.
        await community.AService(volunteer.Id, alone.Id, "2026-10-01T00:30:00+08:00", 15, "greeting-call");
        await TestHost.Factory.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

        var closing = await community.Http.PostAsJsonAsync(community.Url("/quarters/2026Q3/closing"), new { recordedBy = "office-01" });
        var again = await community.Http.PostAsJsonAsync(community.Url("/quarters/2026Q3/closing"), new { recordedBy = "office-01" });
        var eventsAfterClosing = await community.EventCount();

        // Services 198 + 14 + 2 = 214; 11 of 12 weeks visited (91%) earns the bonus of 20: 234, capped at 200.
        // The idle volunteer gets an award of 0; the one who left in June gets none.
        var closed = await closing.Content.ReadFromJsonAsync<ClosingResponse>(Json.Options);
        Assert.That(closing.StatusCode, Is.EqualTo(HttpStatusCode.OK), await closing.Content.ReadAsStringAsync());
        Assert.That((closed!.VolunteersAwarded, closed.PointsAwarded, closed.AlreadyClosed), Is.EqualTo((2, 200, false)));
        var second = await again.Content.ReadFromJsonAsync<ClosingResponse>(Json.Options);
        Assert.That((second!.VolunteersAwarded, second.PointsAwarded, second.AlreadyClosed), Is.EqualTo((2, 200, true)));
        Assert.That(await community.EventCount(), Is.EqualTo(eventsAfterClosing));

        var award = (await community.Http.GetFromJsonAsync<AwardResponse>(community.Url($"/volunteers/{volunteer.Id}/points/2026Q3"), Json.Options))!;
        Assert.That((award.Breakdown.ServicePoints, award.Breakdown.BonusPoints, award.Breakdown.CutByCap, award.Points), Is.EqualTo((214, 20, 34, 200)));
        Assert.That(award.Breakdown.Services, Has.Count.EqualTo(13));
        Assert.That(award.Breakdown.Bonuses.Single(), Is.EqualTo(new Domain.Points.BonusLine(
            award.Breakdown.Bonuses[0].PairingId, frail.Id, Domain.Care.Rhythm.WeeklyVisit, 12, 11, 91, 90, 20)));
        var idlePoints = (await community.Http.GetFromJsonAsync<PointsResponse>(community.Url($"/volunteers/{idle.Id}/points"), Json.Options))!;
        Assert.That((idlePoints.Balance, idlePoints.Awards.Single().Quarter), Is.EqualTo((0, new Quarter(2026, 3))));
        var gonePoints = (await community.Http.GetFromJsonAsync<PointsResponse>(community.Url($"/volunteers/{gone.Id}/points"), Json.Options))!;
        Assert.That(gonePoints.Awards, Is.Empty);

        // After the closing: a September visit recorded late (30 × 12 × 150% ÷ 60 = 9) and the August hour
        // for the elder living alone reversed (−14, as awarded).
        await community.AService(volunteer.Id, frail.Id, "2026-09-29T15:00:00+08:00", 30);
        await community.Http.PostAsJsonAsync(community.Url($"/services/{august.ServiceId}/reversal"), new { reason = "entered-in-error", recordedBy = "grid-01" });
        await TestHost.Factory.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

        using (TestHost.Factory.Clock.Travel(TimeSpan.FromDays(40)))
        {
            var q4 = await community.Http.PostAsJsonAsync(community.Url("/quarters/2026Q4/closing"), new { recordedBy = "office-01" });
            Assert.That(q4.StatusCode, Is.EqualTo(HttpStatusCode.OK), await q4.Content.ReadAsStringAsync());
        }

        // Q4: the October call (2) and no visits in its 13 whole weeks (no bonus); adjustments 9 − 14 = −5.
        var fourth = (await community.Http.GetFromJsonAsync<AwardResponse>(community.Url($"/volunteers/{volunteer.Id}/points/2026Q4"), Json.Options))!;
        Assert.That((fourth.Breakdown.ServicePoints, fourth.Breakdown.BonusPoints, fourth.Breakdown.AdjustmentPoints, fourth.Points), Is.EqualTo((2, 0, -5, -3)));
        Assert.That(fourth.Breakdown.Services.Where(l => l.Adjustment).Select(l => (l.ServiceQuarter, l.Points, l.Reversal)), Is.EquivalentTo(new[]
        {
            (new Quarter(2026, 3), 9, false),
            (new Quarter(2026, 3), -14, true),
        }));
        var points = (await community.Http.GetFromJsonAsync<PointsResponse>(community.Url($"/volunteers/{volunteer.Id}/points"), Json.Options))!;
        Assert.That((points.Balance, points.Awards.Count), Is.EqualTo((197, 2)));

        // The third quarter itself did not change.
        var third = (await community.Http.GetFromJsonAsync<AwardResponse>(community.Url($"/volunteers/{volunteer.Id}/points/2026Q3"), Json.Options))!;
        Assert.That(third.Points, Is.EqualTo(200));
    }

    [Test]
    public async Task a_late_service_is_scored_with_the_rules_of_its_own_quarter_not_of_the_quarter_that_closes_it()
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var elder = await community.AnElder("comfortable");
        object RulesFrom(string quarter, int perHour) => new { effectiveFrom = quarter, pointsPerHour = perHour, onlyConfirmedServicesCount = false, recordedBy = "office-01" };
        Assert.That((await community.Http.PostAsJsonAsync(community.Url("/scoring-rules"), RulesFrom("2026Q3", 12))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await community.Http.PostAsJsonAsync(community.Url("/scoring-rules"), RulesFrom("2026Q4", 20))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await TestHost.Factory.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        Assert.That((await community.Http.PostAsJsonAsync(community.Url("/quarters/2026Q3/closing"), new { recordedBy = "office-01" })).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        // An hour's visit of 15 September, recorded after Q3 closed: Q3 paid 12 an hour, Q4 pays 20. It counts in Q4's
        // award at its own quarter's rate, 60 × 12 ÷ 60 = 12 points; a December hour counts at Q4's, 20.
        await community.AService(volunteer.Id, elder.Id, "2026-09-15T09:00:00+08:00", 60);
        await community.AService(volunteer.Id, elder.Id, "2026-11-20T09:00:00+08:00", 60);
        await TestHost.Factory.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        using (TestHost.Factory.Clock.Travel(TimeSpan.FromDays(40)))
        {
            var q4 = await community.Http.PostAsJsonAsync(community.Url("/quarters/2026Q4/closing"), new { recordedBy = "office-01" });
            Assert.That(q4.StatusCode, Is.EqualTo(HttpStatusCode.OK), await q4.Content.ReadAsStringAsync());
        }

        var award = (await community.Http.GetFromJsonAsync<AwardResponse>(community.Url($"/volunteers/{volunteer.Id}/points/2026Q4"), Json.Options))!;
        Assert.That(award.Breakdown.Services.Select(l => (l.ServiceQuarter, l.Adjustment, l.PointsPerHour, l.Points)), Is.EquivalentTo(new[]
        {
            (new Quarter(2026, 3), true, 12, 12),
            (new Quarter(2026, 4), false, 20, 20),
        }));
        Assert.That(award.Points, Is.EqualTo(32));
    }

    [Test]
    public async Task a_quarter_closes_only_when_over_and_in_order_and_closed_quarters_keep_their_rules()
    {
        var community = await Given.ACommunity();
        Assert.That((await community.Http.PostAsJsonAsync(community.Url("/quarters/2026Q2/closing"), new { recordedBy = "office-01" })).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var notOver = await community.Http.PostAsJsonAsync(community.Url("/quarters/2026Q4/closing"), new { recordedBy = "office-01" });
        var skipping = await community.Http.PostAsJsonAsync(community.Url("/quarters/2027Q1/closing"), new { recordedBy = "office-01" });
        var gap = await community.Http.PostAsJsonAsync(community.Url("/quarters/2025Q4/closing"), new { recordedBy = "office-01" });
        var rulesForClosed = await community.Http.PostAsJsonAsync(community.Url("/scoring-rules"), new
        {
            effectiveFrom = "2026Q2",
            pointsPerHour = 20,
            quarterCap = (int?)null,
            onlyConfirmedServicesCount = true,
            recordedBy = "office-01",
        });
        var badQuarter = await community.Http.PostAsJsonAsync(community.Url("/quarters/2026Q5/closing"), new { recordedBy = "office-01" });

        Assert.That((await notOver.ReadProblem(HttpStatusCode.UnprocessableEntity))["code"]!.GetValue<string>(), Is.EqualTo("quarter-not-over"));
        Assert.That((await skipping.ReadProblem(HttpStatusCode.UnprocessableEntity))["code"]!.GetValue<string>(), Is.EqualTo("quarter-not-over"));
        Assert.That((await gap.ReadProblem(HttpStatusCode.UnprocessableEntity))["code"]!.GetValue<string>(), Is.EqualTo("quarters-close-in-order"));
        Assert.That((await rulesForClosed.ReadProblem(HttpStatusCode.UnprocessableEntity)).ErrorFields(), Is.EqualTo(new[] { "effectiveFrom" }));
        Assert.That((await badQuarter.ReadProblem(HttpStatusCode.BadRequest)).ErrorFields(), Is.EqualTo(new[] { "quarter" }));

        var q2Rules = (await community.Http.GetFromJsonAsync<ScoringRulesResponse>(community.Url("/scoring-rules/2026Q2"), Json.Options))!;
        Assert.That((q2Rules.EffectiveFrom, q2Rules.Rules.PointsPerHour), Is.EqualTo(((Quarter?)null, 10)));
    }
}
