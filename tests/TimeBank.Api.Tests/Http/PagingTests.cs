using Marten.Events;
using TimeBank.Api.Elders;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.Services;
using TimeBank.Api.Volunteers;

namespace TimeBank.Api.Tests.Http;

/// <summary>Lists come a page at a time, in creation order, and a cursor neither skips nor repeats while others append.</summary>
public class PagingTests
{
    private static async Task<Page<T>> PageOf<T>(TestCommunity community, string list, long? after, int limit) =>
        (await community.Http.GetFromJsonAsync<Page<T>>(community.Url($"/{list}?limit={limit}{(after is null ? "" : $"&after={after}")}"), Json.Options))!;

    [Test]
    public async Task paging_through_volunteers_while_more_enrol_lists_each_once_in_the_order_they_joined()
    {
        var community = await Given.ACommunity();
        var enrolled = new List<Guid>();
        for (var i = 0; i < 5; i++) enrolled.Add((await community.AVolunteer()).Id);
        await TestHost.Factory.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

        var first = await PageOf<VolunteerResponse>(community, "volunteers", null, 2);
        // Two more enrol while the partner is between pages.
        enrolled.Add((await community.AVolunteer()).Id);
        enrolled.Add((await community.AVolunteer()).Id);
        await TestHost.Factory.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        var seen = first.Items.Select(v => v.Id).ToList();
        var next = first.NextAfter;
        var pages = 1;
        while (next is not null)
        {
            var page = await PageOf<VolunteerResponse>(community, "volunteers", next, 2);
            seen.AddRange(page.Items.Select(v => v.Id));
            next = page.NextAfter;
            pages++;
        }

        // Seven volunteers, two to a page: four pages.
        Assert.That(seen, Is.EqualTo(enrolled));
        Assert.That(pages, Is.EqualTo(4));
    }

    [Test]
    public async Task elders_and_services_are_listed_the_same_way_and_a_bad_limit_is_refused()
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var elders = new[] { await community.AnElder(), await community.AnElder("disabled") };
        var service = await community.AService(volunteer.Id, elders[1].Id, "2026-11-22T09:00:00+08:00", 30);
        await TestHost.Factory.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

        var elderPage = await PageOf<ElderResponse>(community, "elders", null, 10);
        var servicePage = await PageOf<ServiceResponse>(community, "services", null, 10);
        var tooMany = await community.Http.GetAsync(community.Url("/elders?limit=501"));

        Assert.That(elderPage.Items.Select(e => e.Id), Is.EqualTo(elders.Select(e => e.Id)));
        Assert.That(elderPage.NextAfter, Is.Null);
        Assert.That(servicePage.Items.Select(s => s.ServiceId), Is.EqualTo(new[] { service.ServiceId }));
        Assert.That((await tooMany.ReadProblem(HttpStatusCode.BadRequest)).ErrorFields(), Is.EqualTo(new[] { "limit" }));
    }
}
