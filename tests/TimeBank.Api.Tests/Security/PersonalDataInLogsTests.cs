using Marten;
using TimeBank.Api.People;
using TimeBank.Samples.ADayAtACommunity;
using TimeBank.Samples.SampleCommunity;

namespace TimeBank.Api.Tests.Security;

/// <summary>Names, phones, addresses and birth dates never reach the logs: a sample run's whole log is searched for them.</summary>
public class PersonalDataInLogsTests
{
    [Test]
    public async Task a_sample_run_logs_no_personal_data()
    {
        var code = "pii-" + Guid.NewGuid().ToString("N")[..8];
        await new SampleCommunityLoader(TestHost.Factory.PartnerClient(), TextWriter.Null).LoadAsync(code, days: 3, now: TestHost.Start);
        var client = TestHost.Factory.PartnerClient();
        var day = "day-" + Guid.NewGuid().ToString("N")[..8];
        await new ADayAtACommunity(client, TextWriter.Null).RunAsync(day, TestHost.Start);
        // Refusals are logged too: one with a name in its body.
        await TestHost.Factory.CreateClient().PostAsJsonAsync($"/api/v1/communities/{code}/volunteers", new { name = "赵敏敏", phone = "1380000", team = "t", recordedBy = "" });

        var personal = new List<string> { "赵敏敏" };
        foreach (var community in new[] { code, day })
        {
            await using var session = TestHost.Factory.Store.QuerySession(community);
            foreach (var p in await session.Query<PersonalDetails>().ToListAsync())
            {
                personal.Add(p.Name);
                if (p.Phone is { } phone) personal.Add(phone);
                if (p.Address is { } address) personal.Add(address);
                if (p.BirthDate is { } born) personal.AddRange([born.ToString("yyyy-MM-dd"), born.ToString("yyyy/M/d"), born.ToString("M/d/yyyy")]);
                if (p.EmergencyContact is { } contact) personal.AddRange([contact.Name, contact.Phone]);
            }
        }

        var logs = TestHost.Factory.Logs.Events.ToList();
        Assert.That(personal, Has.Count.GreaterThan(500), "the sample run made the people whose data is searched for");
        Assert.That(logs.Count(l => l.Contains("RequestMethod=\"POST\"", StringComparison.Ordinal)), Is.GreaterThan(100), $"the capture saw the run's requests: {logs.Count} events, e.g. {string.Join(" / ", logs.Take(3))}");
        var leaks = personal.Distinct().SelectMany(value => logs.Where(l => l.Contains(value, StringComparison.Ordinal)).Take(1).Select(l => $"{value}: {l}")).ToList();
        Assert.That(leaks, Is.Empty);
    }
}
