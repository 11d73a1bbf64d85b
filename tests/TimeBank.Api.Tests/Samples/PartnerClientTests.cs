using Marten;
using TimeBank.Api.Partners;
using TimeBank.Client;
using TimeBank.Domain.Partners;
using Models = TimeBank.Client.Generated.Models;

namespace TimeBank.Api.Tests.Samples;

/// <summary>The hand-written part around the generated client: a write is never lost to a wait, nor made twice.</summary>
public class PartnerClientTests
{
    [Test]
    public async Task writes_over_the_keys_rate_wait_as_asked_and_land_once_each_under_their_own_key()
    {
        var code = "waits-" + Guid.NewGuid().ToString("N")[..8];
        await TestHost.Factory.PartnerClient().Api.V1.Communities.PostAsync(
            new Models.RegisterCommunity { Code = code, Name = "示范社区", RecordedBy = "office-01" });

        // A key allowed one request a second, and a record of every request as it leaves the client's handlers.
        string key;
        using (var session = TestHost.Factory.Store.LightweightSession())
        {
            var (issued, _) = KeyEndpoints.IssueOn(session, null, new IssueKey("slow-partner", [PartnerRole.Admin], [code], 1, "tests"), TimeProvider.System);
            await session.SaveChangesAsync();
            key = issued!.Key;
        }

        var sent = new SentRequests();
        var http = TestHost.Factory.CreateDefaultClient([.. TimeBankClients.Handlers(), sent]);
        http.DefaultRequestHeaders.Remove(PartnerAccess.KeyHeader);
        http.DefaultRequestHeaders.Add(PartnerAccess.KeyHeader, key);
        var client = TimeBankClients.Over(http);

        var enrolled = await Task.WhenAll(Enumerable.Range(1, 4).Select(n => client.Api.V1.Communities[code].Volunteers.PostAsync(
            new Models.EnrolVolunteer { Name = $"志愿者{n}", Team = "general-care", RecordedBy = "grid-01" })));

        // Four writes in a burst on a key of one a second: some were told to wait (429) and sent again under
        // the key they first carried; each of the four keys got one answer of 201, and four volunteers exist.
        var byKey = sent.All.GroupBy(r => r.Key).ToList();
        Assert.That(byKey, Has.Count.EqualTo(4));
        Assert.That(byKey.Select(k => k.Count(r => r.Status == 201)), Is.All.EqualTo(1));
        Assert.That(sent.All.Count(r => r.Status == 429), Is.GreaterThan(0));
        Assert.That(byKey.SelectMany(k => k.SkipWhile(r => r.Status == 429)).Count(), Is.EqualTo(4), "nothing is sent after the 201");
        Assert.That(enrolled.Select(v => v!.Id).Distinct().Count(), Is.EqualTo(4));
        await using var log = TestHost.Factory.Store.QuerySession(code);
        Assert.That(await log.Events.QueryRawEventDataOnly<TimeBank.Domain.Volunteers.VolunteerEnrolled>().CountAsync(), Is.EqualTo(4));
    }

    /// <summary>Notes each request's Idempotency-Key and the status it got, as it passes on to the service.</summary>
    private sealed class SentRequests : DelegatingHandler
    {
        private readonly List<(string Key, int Status)> _all = [];

        public IReadOnlyList<(string Key, int Status)> All
        {
            get
            {
                lock (_all) return [.. _all];
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            var key = request.Headers.TryGetValues(IdempotentWrites.KeyHeader, out var values) ? values.Single() : "";
            lock (_all) _all.Add((key, (int)response.StatusCode));
            return response;
        }
    }
}
