using TimeBank.Client;
using TimeBank.Client.Generated.Models;
using TimeBank.Samples.ADayAtACommunity;

namespace TimeBank.Api.Tests.Samples;

public class ADayAtACommunityTests
{
    [Test]
    public async Task the_console_sample_walks_through_a_day_with_the_generated_client()
    {
        var client = TestHost.Factory.PartnerClient();
        var code = "day-" + Guid.NewGuid().ToString("N")[..8];

        var day = await new ADayAtACommunity(client, TextWriter.Null).RunAsync(code, TestHost.Start);

        // Today is Monday 23 November 2026, so last quarter is 2026Q3 (1 July to 30 September). The pairing began
        // on 1 July; the Mondays whose weeks lie wholly in Q3 run from 6 July to 21 September: 12 visits of an
        // hour to an elder living alone, 10 points an hour × 120% = 12 points each, 144. Every whole week visited
        // earns the weekly-visit bonus of 20; no other rhythm was kept. 164 points; rice costs 30: 134 left.
        // Minutes: 12 hours last quarter, and this morning 10 + 60: 790. Statement: 14 deposits.
        Assert.That(day, Is.EqualTo(new DayResult(12, 164, 134, 790, day.PickupCode, 14)));
    }

    [Test]
    public async Task the_generated_client_turns_a_refusal_into_a_problem_with_its_status_code_and_fields()
    {
        var client = TestHost.Factory.PartnerClient();

        var unknown = Assert.ThrowsAsync<Problem>(() => client.Api.V1.Communities["no-such-community"].Volunteers.PostAsync(
            new EnrolVolunteer { Name = "王秀兰", Team = "general-care", RecordedBy = "grid-01" }));
        var invalid = Assert.ThrowsAsync<Problem>(() => client.Api.V1.Communities.PostAsync(
            new RegisterCommunity { Code = "Not A Code!", Name = "示范社区", RecordedBy = "office-01" }));

        Assert.That((unknown!.ResponseStatusCode, unknown.Status, unknown.Code), Is.EqualTo((404, 404, "unknown-community")));
        Assert.That((invalid!.ResponseStatusCode, invalid.Code), Is.EqualTo((400, "validation")));
        Assert.That(invalid.Fields().Keys, Does.Contain("code"));
    }
}
