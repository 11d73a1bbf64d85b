using System.Diagnostics;
using Marten;
using TimeBank.Api.Partners;
using TimeBank.Domain.Partners;

namespace TimeBank.Api.Tests.Partners;

/// <summary>Who may call what: the matrix over every mapped endpoint and every role, keys, limits, and the trail on events.</summary>
public class AccessTests
{
    /// <summary>
    /// The roles each endpoint needs, worked out from the partner API's rules rather than read from the code:
    /// reading is open to every role, but reports and audits are for auditors; the station's catalogue and counter need <c>store</c>; keys, rules,
    /// catalogues of service types, the care cadence, scoring rules and quarter closings need <c>admin</c>;
    /// every other write (services, pairings, people) needs <c>recorder</c>. An admin may do everything. Any key may
    /// read what it is itself (its partner, roles and communities).
    /// </summary>
    private static PartnerRole[] Needed(string method, string route)
    {
        if (route == "/api/v1/keys/current") return [];
        if (route.StartsWith("/api/v1/keys", StringComparison.Ordinal)) return [PartnerRole.Admin];
        if (route.Contains("/reports/", StringComparison.Ordinal) || route.Contains("/audit/", StringComparison.Ordinal)) return [PartnerRole.Auditor];
        if (method == "GET") return [];
        if (route.Contains("/stations", StringComparison.Ordinal)) return [PartnerRole.Store];
        string[] adminOnly = ["/rules", "/service-types", "/care-cadence", "/scoring-rules", "/closing"];
        if (route == "/api/v1/communities" || adminOnly.Any(end => route.EndsWith(end, StringComparison.Ordinal))) return [PartnerRole.Admin];
        return [PartnerRole.Recorder];
    }

    /// <summary>Routes not under one community: registering a community, the county's totals and reports, replays of the whole log.</summary>
    private static bool NeedsAllCommunities(string route) =>
        route == "/api/v1/communities" || route.StartsWith("/api/v1/counties/", StringComparison.Ordinal) || route.StartsWith("/api/v1/audit/", StringComparison.Ordinal);

    private static async Task<string> KeyFor(string community, params PartnerRole[] roles)
    {
        var response = await TestHost.Factory.CreateClient().PostAsJsonAsync("/api/v1/keys",
            new { partner = "partner-" + string.Join("-", roles), roles, communities = new[] { community }, recordedBy = "office-01" }, Json.Options);
        return (await response.ReadCreated<IssuedKeyResponse>()).Key;
    }

    private static Task<HttpResponseMessage> Call(HttpClient http, string method, string url, bool hasBody) =>
        http.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = hasBody ? JsonContent.Create(new { }) : null });

    [Test]
    public async Task every_endpoint_answers_401_without_a_key_or_with_a_wrong_one()
    {
        var community = await Given.ACommunity();
        var (keyId, _, _) = PartnerKeySecrets.NewKey();
        var forged = TestHost.Factory.WithKey($"tb_{keyId:N}_{new string('A', 43)}");

        foreach (var (method, route, hasBody) in ApiEndpoints.All())
        {
            var url = ApiEndpoints.UrlFor(route, community.Code);
            var none = await (await Call(TestHost.Factory.Anonymous(), method, url, hasBody)).ReadProblem(HttpStatusCode.Unauthorized);
            var wrong = await (await Call(forged, method, url, hasBody)).ReadProblem(HttpStatusCode.Unauthorized);
            Assert.That((none["code"]!.GetValue<string>(), wrong["code"]!.GetValue<string>()), Is.EqualTo(("missing-api-key", "invalid-api-key")), $"{method} {route}");
        }
    }

    [Test]
    public async Task every_endpoint_lets_in_exactly_the_roles_it_needs()
    {
        var community = await Given.ACommunity();
        var keys = new Dictionary<PartnerRole, HttpClient>();
        foreach (var role in Enum.GetValues<PartnerRole>()) keys[role] = TestHost.Factory.WithKey(await KeyFor(community.Code, role));

        var wrongs = new List<string>();
        foreach (var (method, route, hasBody) in ApiEndpoints.All())
        {
            var needed = Needed(method, route);
            foreach (var (role, http) in keys)
            {
                var allowed = !NeedsAllCommunities(route) && (role == PartnerRole.Admin || needed.Length == 0 || needed.Contains(role));
                var status = (await Call(http, method, ApiEndpoints.UrlFor(route, community.Code), hasBody)).StatusCode;
                var ok = allowed ? status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) : status == HttpStatusCode.Forbidden;
                if (!ok) wrongs.Add($"{method} {route} as {role}: {(int)status}, expected {(allowed ? "let in" : "403")}");
            }
        }

        Assert.That(wrongs, Is.Empty);
        Assert.That(await community.EventCount(), Is.EqualTo(1), "only the community's registration: every write was refused or invalid");
    }

    [Test]
    public async Task a_key_of_another_community_finds_nothing_here_not_even_the_community()
    {
        var community = await Given.ACommunity();
        var elsewhere = await Given.ACommunity();
        var outsider = TestHost.Factory.WithKey(await KeyFor(elsewhere.Code, Enum.GetValues<PartnerRole>()));

        foreach (var (method, route, hasBody) in ApiEndpoints.All().Where(e => e.Route.Contains("{community}", StringComparison.Ordinal)))
        {
            var problem = await (await Call(outsider, method, ApiEndpoints.UrlFor(route, community.Code), hasBody)).ReadProblem(HttpStatusCode.NotFound);
            Assert.That(problem["code"]!.GetValue<string>(), Is.EqualTo("unknown-community"), $"{method} {route}");
        }

        // A real elder's id of this community, asked about in the outsider's own community, is not found either.
        var elder = await community.AnElder();
        var asked = await outsider.GetAsync(elsewhere.Url($"/elders/{elder.Id}"));
        await asked.ReadProblem(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task keys_are_issued_within_the_issuers_communities_listed_without_secrets_and_stop_working_when_revoked()
    {
        var community = await Given.ACommunity();
        var other = await Given.ACommunity();
        var admin = TestHost.Factory.WithKey(await KeyFor(community.Code, PartnerRole.Admin));

        var issued = await (await admin.PostAsJsonAsync("/api/v1/keys",
            new { partner = "社区卫生站", roles = new[] { "reader" }, communities = new[] { community.Code }, recordedBy = "office-01" })).ReadCreated<IssuedKeyResponse>();
        var beyond = await admin.PostAsJsonAsync("/api/v1/keys",
            new { partner = "x", roles = new[] { "reader" }, communities = new[] { other.Code }, recordedBy = "office-01" });
        var listed = await admin.GetStringAsync("/api/v1/keys");
        var reader = TestHost.Factory.WithKey(issued.Key);
        var before = await reader.GetAsync(community.Url());
        var revoked = await admin.PostAsJsonAsync($"/api/v1/keys/{issued.KeyId}/revocation", new { recordedBy = "office-01" });
        var after = await reader.GetAsync(community.Url());

        Assert.That((await beyond.ReadProblem(HttpStatusCode.UnprocessableEntity)).ErrorFields(), Is.EqualTo(new[] { "communities" }));
        Assert.That(listed, Does.Contain(issued.KeyId.ToString()).And.Not.Contain(issued.Key));
        Assert.That(listed, Does.Not.Contain(other.Code));
        Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(revoked.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await after.ReadProblem(HttpStatusCode.Unauthorized);

        // What is stored is a hash: the key's secret appears nowhere in the database.
        await using var session = TestHost.Factory.Store.QuerySession();
        var stored = await session.LoadAsync<PartnerKey>(issued.KeyId);
        Assert.That(stored!.SecretHash, Is.Not.Empty.And.Not.Contains(issued.Key[^43..]));
    }

    /// <summary>
    /// Keys are cached per node (PartnerKeyCache). A revocation written by another process (the <c>keys revoke</c>
    /// command, another node) reaches this node's cache only through PostgreSQL's notice: within a second, the key
    /// this node had just served is refused.
    /// </summary>
    [Test]
    public async Task a_key_revoked_by_another_process_is_refused_here_within_a_second()
    {
        var community = await Given.ACommunity();
        var issued = await community.AKey("另一个节点", "reader");
        var reader = TestHost.Factory.WithKey(issued.Key);
        Assert.That((await reader.GetAsync(community.Url())).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await reader.GetAsync(community.Url())).StatusCode, Is.EqualTo(HttpStatusCode.OK), "served again, from the cache");

        await using (var elsewhere = DocumentStore.For(options =>
        {
            options.Connection(TestHost.As(TestHost.ConnectionString, TestHost.ServiceRole));
            TimeBank.Api.Infrastructure.EventStore.EventStoreSetup.ConfigureTimeBank(options);
            options.AutoCreateSchemaObjects = JasperFx.AutoCreate.None;
        }))
        {
            await using var session = elsewhere.LightweightSession();
            session.Events.Append(issued.KeyId, new PartnerKeyRevoked(issued.KeyId, "command-line", DateTimeOffset.UtcNow));
            await session.SaveChangesAsync();
        }

        var clock = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            status = (await reader.GetAsync(community.Url())).StatusCode;
        }
        while (status == HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(5));

        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)), "the promise a revocation makes to every node");
    }

    [Test]
    public async Task a_key_over_its_rate_gets_429_with_retry_after()
    {
        var community = await Given.ACommunity();
        var issued = await (await TestHost.Factory.CreateClient().PostAsJsonAsync("/api/v1/keys",
            new { partner = "slow", roles = new[] { "reader" }, communities = new[] { community.Code }, requestsPerSecond = 1, recordedBy = "office-01" })).ReadCreated<IssuedKeyResponse>();
        var http = TestHost.Factory.WithKey(issued.Key);

        // One a second, with a burst of two: of ten at once, at most three pass (one token may come back meanwhile).
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => http.GetAsync(community.Url())));

        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.That(limited, Has.Count.GreaterThanOrEqualTo(7));
        Assert.That(limited[0].Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That((await limited[0].ReadProblem(HttpStatusCode.TooManyRequests))["code"]!.GetValue<string>(), Is.EqualTo("rate-limited"));
    }

    [Test]
    public async Task every_event_names_the_partner_key_and_the_correlation_id_of_the_request()
    {
        var community = await Given.ACommunity();
        var issued = await (await TestHost.Factory.CreateClient().PostAsJsonAsync("/api/v1/keys",
            new { partner = "民乐社区网格系统", roles = new[] { "recorder" }, communities = new[] { community.Code }, recordedBy = "office-01" })).ReadCreated<IssuedKeyResponse>();
        var http = TestHost.Factory.WithKey(issued.Key);
        http.DefaultRequestHeaders.Add("X-Correlation-Id", "sync-2026-11-23-0001");

        var enrolled = await http.PostAsJsonAsync(community.Url("/volunteers"), new { name = "王秀兰", team = "general-care", recordedBy = "grid-01" });

        Assert.That(enrolled.Headers.GetValues("X-Correlation-Id"), Is.EqualTo(new[] { "sync-2026-11-23-0001" }));
        await using var session = TestHost.Factory.Store.QuerySession(community.Code);
        var last = (await session.Events.QueryAllRawEvents().OrderByDescending(e => e.Sequence).Take(1).ToListAsync()).Single();
        Assert.That(last.CorrelationId, Is.EqualTo("sync-2026-11-23-0001"));
        Assert.That(last.Headers![EventMetadata.PartnerKeyHeader]?.ToString(), Is.EqualTo(issued.KeyId.ToString()));
        Assert.That(last.Headers![EventMetadata.PartnerHeader]?.ToString(), Is.EqualTo("民乐社区网格系统"));
    }

    [Test]
    public async Task the_first_admin_key_is_made_on_the_services_command_line()
    {
        var start = new ProcessStartInfo("dotnet", [typeof(Program).Assembly.Location, "keys", "issue", "--partner", "county-bureau", "--roles", "admin", "--communities", "*"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["ASPNETCORE_ENVIRONMENT"] = "Testing" },
        };
        foreach (var (name, value) in TestHost.ServiceSettings(TestHost.ConnectionString)) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.That(process.ExitCode, Is.Zero, output + await process.StandardError.ReadToEndAsync());
        var key = output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("tb_", StringComparison.Ordinal));
        var registered = await TestHost.Factory.WithKey(key).PostAsJsonAsync("/api/v1/communities",
            new { code = "c-" + Guid.NewGuid().ToString("N")[..10], name = "县局测试", timeZone = "Asia/Shanghai", recordedBy = "county-01" });
        Assert.That(registered.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }
}
