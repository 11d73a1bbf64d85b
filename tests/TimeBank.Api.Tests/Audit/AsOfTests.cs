using System.Text.Json.Nodes;
using Marten;
using Marten.Events;
using TimeBank.Api.Volunteers;

namespace TimeBank.Api.Tests.Audit;

/// <summary>Accounts and care records as they stood at points of a scripted history, by sequence number and by time.</summary>
public partial class AsOfTests
{
    [Test]
    public async Task accounts_and_care_records_read_as_they_stood_at_each_point_of_the_history()
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var elder = await community.AnElder("poor");
        var first = await community.AService(volunteer.Id, elder.Id, "2026-08-03T09:00:00+08:00", 60);
        await community.AService(volunteer.Id, elder.Id, "2026-08-04T09:00:00+08:00", 30);
        await community.Http.PostAsJsonAsync(community.Url($"/services/{first.ServiceId}/reversal"), new { reason = "not-done", recordedBy = "grid-01" });
        await TestHost.Factory.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        await community.Http.PostAsJsonAsync(community.Url("/quarters/2026Q3/closing"), new { recordedBy = "office-01" });

        await using var session = TestHost.Factory.Store.QuerySession(community.Code);
        var stream = await session.Events.FetchStreamAsync(volunteer.Id);
        // The volunteer's stream: enrolled, 60 min, 30 min, the 60 reversed, the Q3 award (30 min × 10 × 120% ÷ 60 = 6 points).
        Assert.That(stream.Select(e => e.EventTypeName), Is.EqualTo(new[] { "volunteer_enrolled", "service_recorded", "service_recorded", "service_reversed", "points_awarded" }));
        long Seq(int version) => stream[version - 1].Sequence;

        async Task<(int Balance, int Services)> Account(string query)
        {
            var account = (await community.Http.GetFromJsonAsync<TimeAccountResponse>(community.Url($"/volunteers/{volunteer.Id}/time-account?{query}"), Json.Options))!;
            return (account.Balance, account.ServicesRecorded);
        }

        Assert.That(await Account($"asOfSequence={Seq(1)}"), Is.EqualTo((0, 0)));
        Assert.That(await Account($"asOfSequence={Seq(2)}"), Is.EqualTo((60, 1)));
        Assert.That(await Account($"asOfSequence={Seq(3)}"), Is.EqualTo((90, 2)));
        Assert.That(await Account($"asOfSequence={Seq(4)}"), Is.EqualTo((30, 2)));
        Assert.That(await Account(""), Is.EqualTo((30, 2)));
        // By time: the moment the second service was appended.
        var secondAt = stream[2].Timestamp.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ");
        Assert.That(await Account($"asOf={secondAt}"), Is.EqualTo((90, 2)));

        async Task<int> Points(string query) =>
            JsonNode.Parse(await community.Http.GetStringAsync(community.Url($"/volunteers/{volunteer.Id}/points?{query}")))!["balance"]!.GetValue<int>();
        Assert.That((await Points($"asOfSequence={Seq(4)}"), await Points($"asOfSequence={Seq(5)}")), Is.EqualTo((0, 6)));

        var statement = JsonNode.Parse(await community.Http.GetStringAsync(community.Url($"/volunteers/{volunteer.Id}/statement?asOfSequence={Seq(3)}")))!;
        Assert.That(statement["lines"]!.AsArray().Select(l => l!["balanceAfter"]!.GetValue<int>()), Is.EqualTo(new[] { 60, 90 }));

        async Task<(int Services, int Minutes)> Care(string query)
        {
            var record = JsonNode.Parse(await community.Http.GetStringAsync(community.Url($"/elders/{elder.Id}/care-record?{query}")))!;
            return (record["servicesReceived"]!.GetValue<int>(), record["minutesReceived"]!.GetValue<int>());
        }

        Assert.That(await Care($"asOfSequence={Seq(2)}"), Is.EqualTo((1, 60)));
        Assert.That(await Care($"asOfSequence={Seq(3)}"), Is.EqualTo((2, 90)));
        Assert.That(await Care($"asOfSequence={Seq(4)}"), Is.EqualTo((1, 30)));

        // The same on the command line.
        var output = new StringWriter();
        var console = Console.Out;
        Console.SetOut(output);
        int exit;
        try
        {
            exit = await TimeBank.Api.Audit.AuditCommand.RunAsync(TestHost.Factory.Services, ["as-of", "--community", community.Code, "--volunteer", $"{volunteer.Id}", "--sequence", $"{Seq(3)}"]);
        }
        finally
        {
            Console.SetOut(console);
        }

        Assert.That(exit, Is.EqualTo(0), output.ToString());
        // Console output is the whole process's: a background service's log line ("[01:40:12 INF] ...") may land in it.
        var printed = string.Join('\n', output.ToString().Split('\n').Where(line => !LogLine().IsMatch(line)));
        Assert.That(JsonNode.Parse(printed)!["timeAccount"]!["balance"]!.GetValue<int>(), Is.EqualTo(90));

        // Before the volunteer was enrolled there is no such volunteer; a time without its offset is refused.
        Assert.That((await community.Http.GetAsync(community.Url($"/volunteers/{volunteer.Id}/time-account?asOfSequence={Seq(1) - 1}"))).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var noOffset = await community.Http.GetAsync(community.Url($"/volunteers/{volunteer.Id}/time-account?asOf=2026-11-23T10:00:00"));
        Assert.That((await noOffset.ReadProblem(HttpStatusCode.BadRequest)).ErrorFields(), Is.EqualTo(new[] { "asOf" }));
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\[\d\d:\d\d:\d\d [A-Z]{3}\] ")]
    private static partial System.Text.RegularExpressions.Regex LogLine();
}
