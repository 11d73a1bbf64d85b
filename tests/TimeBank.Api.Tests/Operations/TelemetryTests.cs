using System.Globalization;
using System.Text.RegularExpressions;

namespace TimeBank.Api.Tests.Operations;

/// <summary>The service's own figures on /metrics, and the correlation id on every answer.</summary>
public partial class TelemetryTests
{
    [Test]
    public async Task deposits_and_their_minutes_are_counted_per_community()
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var elder = await community.AnElder();
        await community.AService(volunteer.Id, elder.Id, "2026-11-20T09:00:00+08:00", 90);
        await community.AService(volunteer.Id, elder.Id, "2026-11-21T09:00:00+08:00", 30);

        var metrics = await community.Http.GetStringAsync("/metrics");

        Assert.That(Value(metrics, "timebank_deposits_total", community.Code), Is.EqualTo(2));
        Assert.That(Value(metrics, "timebank_deposited_minutes_total", community.Code), Is.EqualTo(120));
    }

    [Test]
    public async Task a_read_echoes_the_callers_correlation_id_and_makes_one_when_none_is_sent()
    {
        var community = await Given.ACommunity();
        var read = new HttpRequestMessage(HttpMethod.Get, community.Url());
        read.Headers.Add("X-Correlation-Id", "office-check-42");

        var given = await community.Http.SendAsync(read);
        var made = await community.Http.GetAsync(community.Url());

        Assert.That(given.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(given.Headers.GetValues("X-Correlation-Id"), Is.EqualTo(new[] { "office-check-42" }));
        Assert.That(made.Headers.GetValues("X-Correlation-Id").Single(), Is.Not.Empty);
    }

    [Test]
    public async Task live_and_ready_answer_200_on_a_running_node()
    {
        var http = TestHost.Factory.Anonymous();

        Assert.That((await http.GetAsync("/health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await http.GetAsync("/health/ready")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    /// <summary>A counter's value for one community, 0 when it has none yet (Prometheus text: name{labels} value).</summary>
    private static long Value(string metrics, string name, string community)
    {
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(name + "{", StringComparison.Ordinal) && l.Contains($"community=\"{community}\"", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(Number().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"\}\s+([0-9]+)")]
    private static partial Regex Number();
}
