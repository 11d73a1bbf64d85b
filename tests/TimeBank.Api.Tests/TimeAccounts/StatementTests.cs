using TimeBank.Api.TimeAccounts;
using TimeBank.Domain.TimeAccounts;

namespace TimeBank.Api.Tests.TimeAccounts;

public class StatementTests
{
    [Test]
    public async Task the_statement_pages_by_cursor_with_a_running_balance()
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var elder = await community.AnElder();
        var services = new List<Guid>();
        for (var day = 16; day <= 20; day++) services.Add((await community.AService(volunteer.Id, elder.Id, $"2026-11-{day}T09:00:00+08:00", 30)).ServiceId);
        await community.Http.PostAsJsonAsync(community.Url($"/services/{services[1]}/reversal"), new { reason = "not-done", recordedBy = "grid-01" });

        var first = await Read(community, $"/volunteers/{volunteer.Id}/statement?limit=4");
        var second = await Read(community, $"/volunteers/{volunteer.Id}/statement?limit=4&after={first.NextAfter}");

        // Five deposits of 30 and one reversal of 30: balances 30, 60, 90, 120, 150, then 120.
        Assert.That(first.Lines.Select(l => l.BalanceAfter), Is.EqualTo(new[] { 30, 60, 90, 120 }));
        Assert.That(second.Lines.Select(l => (l.Kind, l.BalanceAfter)), Is.EqualTo(new[] { (StatementEntryKind.Deposit, 150), (StatementEntryKind.Reversal, 120) }));
        Assert.That(second.Lines[^1].Reference, Is.EqualTo(services[1]));
        Assert.That(second.NextAfter, Is.Null);

        var badLimit = await community.Http.GetAsync(community.Url($"/volunteers/{volunteer.Id}/statement?limit=0"));
        Assert.That((await badLimit.ReadProblem(HttpStatusCode.BadRequest)).ErrorFields(), Is.EqualTo(new[] { "limit" }));
        var unparseable = await community.Http.GetAsync(community.Url($"/volunteers/{volunteer.Id}/statement?limit=many"));
        Assert.That(unparseable.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    private static async Task<StatementResponse> Read(TestCommunity community, string path) =>
        (await community.Http.GetFromJsonAsync<StatementResponse>(community.Url(path), Json.Options))!;
}
