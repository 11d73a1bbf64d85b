using Microsoft.Extensions.DependencyInjection;
using TimeBank.Api.Infrastructure.Idempotency;
using TimeBank.Api.Partners;

namespace TimeBank.Api.Tests.Security;

/// <summary>What one partner, or one client address, can make the service keep or do is bounded.</summary>
public class BoundsTests
{
    [Test]
    public async Task a_partner_keys_idempotency_records_are_capped_the_oldest_dropped_first()
    {
        var community = await Given.ACommunity();
        var recorder = TestHost.Factory.WithKey((await community.AKey("capped-partner", "recorder")).Key);
        var keys = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid().ToString()).ToList();
        HttpRequestMessage Enrol(string key) => new(HttpMethod.Post, community.Url("/volunteers"))
        {
            Headers = { { "Idempotency-Key", key } },
            Content = JsonContent.Create(new { name = "张" + key[..4], team = "general-care", recordedBy = "grid-01" }),
        };
        foreach (var (key, second) in keys.Select((k, i) => (k, i)))
        {
            // One second apart, so that which is oldest is plain (the test clock otherwise stands still).
            using var later = TestHost.Factory.Clock.Travel(TimeSpan.FromSeconds(second));
            Assert.That((await recorder.SendAsync(Enrol(key))).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }

        var removed = await TestHost.Factory.Services.GetRequiredService<ExpiredIdempotencyRecords>().TrimAsync(3, CancellationToken.None);

        Assert.That(removed, Is.GreaterThanOrEqualTo(2));
        var newest = await recorder.SendAsync(Enrol(keys[^1]));
        var oldest = await recorder.SendAsync(Enrol(keys[0]));
        Assert.That(newest.Headers.Contains("Idempotent-Replayed"), Is.True, "the newest three are kept");
        Assert.That((oldest.StatusCode, oldest.Headers.Contains("Idempotent-Replayed")), Is.EqualTo((HttpStatusCode.Created, false)), "the oldest was dropped: a new request");
    }

    [Test]
    public async Task failed_authentication_is_limited_per_client_address()
    {
        var wrong = TestHost.Factory.WithKey("tb_" + Guid.NewGuid().ToString("N") + "_" + new string('x', 43));
        wrong.DefaultRequestHeaders.Add(TimeBankFactory.ClientAddressHeader, "192.0.2.18");
        var elsewhere = TestHost.Factory.WithKey("tb_" + Guid.NewGuid().ToString("N") + "_" + new string('x', 43));
        elsewhere.DefaultRequestHeaders.Add(TimeBankFactory.ClientAddressHeader, "192.0.2.19");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < PartnerAccess.FailuresPerSecond * 4; i++) statuses.Add((await wrong.GetAsync("/api/v1/keys")).StatusCode);

        Assert.That(statuses, Does.Contain(HttpStatusCode.Unauthorized));
        Assert.That(statuses, Does.Contain(HttpStatusCode.TooManyRequests));
        var limited = await wrong.GetAsync("/api/v1/keys");
        if (limited.StatusCode == HttpStatusCode.TooManyRequests)
        {
            var problem = await limited.ReadProblem(HttpStatusCode.TooManyRequests);
            Assert.That(problem["code"]!.GetValue<string>(), Is.EqualTo("too-many-failed-authentications"));
            Assert.That(limited.Headers.RetryAfter, Is.Not.Null);
        }

        // Another address is not held back by this one.
        Assert.That((await elsewhere.GetAsync("/api/v1/keys")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task an_admin_cannot_issue_a_key_above_its_own_rate()
    {
        var community = await Given.ACommunity();
        var issuedAdmin = await (await community.Http.PostAsJsonAsync("/api/v1/keys",
            new { partner = "community-office", roles = new[] { "admin" }, communities = new[] { community.Code }, requestsPerSecond = 50, recordedBy = "office-01" }))
            .ReadCreated<IssuedKeyResponse>();
        var admin = TestHost.Factory.WithKey(issuedAdmin.Key);

        var above = await admin.PostAsJsonAsync("/api/v1/keys",
            new { partner = "greedy", roles = new[] { "reader" }, communities = new[] { community.Code }, requestsPerSecond = 10_000, recordedBy = "office-01" });
        var unsaid = await (await admin.PostAsJsonAsync("/api/v1/keys",
            new { partner = "modest", roles = new[] { "reader" }, communities = new[] { community.Code }, recordedBy = "office-01" })).ReadCreated<IssuedKeyResponse>();

        var problem = await above.ReadProblem(HttpStatusCode.UnprocessableEntity);
        Assert.That(problem["code"]!.GetValue<string>(), Is.EqualTo("beyond-own-rate"));
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "requestsPerSecond" }));
        Assert.That(unsaid.RequestsPerSecond, Is.EqualTo(50), "without a rate, the default (100) but never above the issuer's");
    }
}
