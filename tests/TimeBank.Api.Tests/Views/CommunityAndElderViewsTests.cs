using Marten;
using Marten.Events;
using TimeBank.Api.Communities;
using TimeBank.Api.Counties;
using TimeBank.Api.Elders;
using TimeBank.Domain.Elders;

namespace TimeBank.Api.Tests.Views;

public class CommunityAndElderViewsTests
{
    [Test]
    public async Task the_community_totals_and_an_elders_care_record_add_up_the_ledger()
    {
        var county = "county-" + Guid.NewGuid().ToString("N")[..8];
        var community = await Given.ACommunity(county: county);
        var neighbour = await Given.ACommunity(county: county);
        var volunteer = await community.AVolunteer();
        var leaving = await community.AVolunteer();
        var lonely = await community.AnElder("living-alone");
        var frail = await community.AnElder("disabled");
        await community.AnElder("poor");
        await community.Pair(volunteer.Id, lonely.Id);
        await community.Pair(volunteer.Id, frail.Id);
        await community.Http.PostAsJsonAsync(community.Url($"/volunteers/{leaving.Id}/departure"), new { reason = "health", recordedBy = "grid-01" });
        await community.Http.PostAsJsonAsync(community.Url($"/elders/{frail.Id}/care-category"), new { careCategory = "poor", recordedBy = "grid-01" });
        await community.AService(volunteer.Id, lonely.Id, "2026-10-31T09:00:00+08:00", 60);
        var wrong = await community.AService(volunteer.Id, lonely.Id, "2026-11-20T09:00:00+08:00", 90);
        await community.AService(volunteer.Id, lonely.Id, "2026-11-21T08:00:00+08:00", 10, "greeting-call");
        await community.AService(volunteer.Id, frail.Id, "2026-11-22T09:00:00+08:00", 45);
        await community.Http.PostAsJsonAsync(community.Url($"/services/{wrong.ServiceId}/reversal"), new { reason = "not-done", recordedBy = "grid-01" });
        await neighbour.AVolunteer();
        await neighbour.AnElder("comfortable");

        await TestHost.Factory.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

        var totals = (await community.Http.GetFromJsonAsync<TotalsResponse>(community.Url("/totals"), Json.Options))!;
        // Two enrolled, one left; elders: one living alone, two poor (one moved from disabled); two pairings.
        Assert.That((totals.Volunteers, totals.Elders, totals.LivingAlone, totals.Disabled, totals.Poor, totals.ActivePairings), Is.EqualTo((1, 3, 1, 0, 2, 2)));
        // November: 90 + 10 + 45 banked, the 90 reversed = 55 in two services; October: 60. Q4 holds both.
        Assert.That((totals.Month, totals.MinutesThisMonth, totals.Quarter, totals.MinutesThisQuarter), Is.EqualTo(("2026-11", 55, "2026Q4", 115)));

        var record = (await community.Http.GetFromJsonAsync<CareRecordResponse>(community.Url($"/elders/{lonely.Id}/care-record"), Json.Options))!;
        Assert.That((record.ServicesReceived, record.MinutesReceived), Is.EqualTo((2, 70)));
        Assert.That(record.ByMonthAndType, Is.EqualTo(new[]
        {
            new MonthlyServices("2026-10", "home-visit", 1, 60),
            new MonthlyServices("2026-11", "greeting-call", 1, 10),
            new MonthlyServices("2026-11", "home-visit", 0, 0),
        }));
        var frailRecord = (await community.Http.GetFromJsonAsync<CareRecordResponse>(community.Url($"/elders/{frail.Id}/care-record"), Json.Options))!;
        Assert.That(frailRecord.CareCategoryHistory.Select(p => p.Category), Is.EqualTo(new[] { CareCategory.Disabled, CareCategory.Poor }));

        var countyTotals = (await community.Http.GetFromJsonAsync<CountyTotalsResponse>($"/api/v1/counties/{county}/totals", Json.Options))!;
        Assert.That(countyTotals.Communities.Select(c => c.Community), Is.EquivalentTo(new[] { community.Code, neighbour.Code }));
        Assert.That((countyTotals.Volunteers, countyTotals.Elders), Is.EqualTo((2, 4)));
    }
}
