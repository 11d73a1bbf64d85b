using TimeBank.Client;
using TimeBank.Samples.ADayAtACommunity;

namespace TimeBank.Api.Tests.Samples;

public class ADayAtACommunityTests
{
    [Test]
    public async Task the_console_sample_walks_through_a_day_with_the_typed_client()
    {
        var client = new TimeBankClient(TestHost.Factory.CreateClient());
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
    public async Task the_typed_client_turns_a_refusal_into_a_problem_with_its_code_and_fields()
    {
        var client = new TimeBankClient(TestHost.Factory.CreateClient());

        var problem = Assert.ThrowsAsync<TimeBankProblem>(() => client.EnrolVolunteerAsync("no-such-community", "王秀兰", null, "general-care", null, "grid-01"));

        Assert.That((problem!.Status, problem.Code), Is.EqualTo((404, "unknown-community")));
    }
}
