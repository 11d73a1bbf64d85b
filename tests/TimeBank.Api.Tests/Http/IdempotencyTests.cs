using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TimeBank.Api.Infrastructure.Idempotency;
using TimeBank.Api.Volunteers;

namespace TimeBank.Api.Tests.Http;

/// <summary>Every POST may be retried under an Idempotency-Key: the first answer again, nothing written twice.</summary>
public class IdempotencyTests
{
    private static HttpRequestMessage Enrol(TestCommunity community, string key, string team = "general-care") =>
        new(HttpMethod.Post, community.Url("/volunteers"))
        {
            Headers = { { "Idempotency-Key", key } },
            Content = JsonContent.Create(new { name = "王秀兰", team, recordedBy = "grid-01" }),
        };

    [Test]
    public async Task the_same_key_and_body_answer_the_first_answer_and_write_nothing_more()
    {
        var community = await Given.ACommunity();
        var key = Guid.NewGuid().ToString();

        var first = await community.Http.SendAsync(Enrol(community, key));
        var events = await community.EventCount();
        var again = await community.Http.SendAsync(Enrol(community, key));

        Assert.That((first.StatusCode, again.StatusCode), Is.EqualTo((HttpStatusCode.Created, HttpStatusCode.Created)));
        Assert.That(await again.Content.ReadAsStringAsync(), Is.EqualTo(await first.Content.ReadAsStringAsync()));
        Assert.That(again.Headers.Location, Is.EqualTo(first.Headers.Location));
        Assert.That(again.Headers.GetValues("Idempotent-Replayed"), Is.EqualTo(new[] { "true" }));
        Assert.That(await community.EventCount(), Is.EqualTo(events));
    }

    [Test]
    public async Task the_answer_is_kept_in_the_transaction_that_wrote_the_request()
    {
        var community = await Given.ACommunity();
        var key = Guid.NewGuid().ToString();

        var first = await community.Http.SendAsync(Enrol(community, key));

        // Rows written by one transaction carry its id (xmin): the key's record and the request's event share it.
        await using var command = TestHost.Factory.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().CreateCommand("""
            select r.data ->> 'status', r.data ->> 'body', r.xmin::text = e.xmin::text
            from timebank.mt_doc_idempotentrequest r
            join timebank.mt_events e on e.tenant_id = r.tenant_id and e.type = 'volunteer_enrolled'
            where r.tenant_id = $1 and r.id like '%:' || $2
            """);
        command.Parameters.Add(new() { Value = community.Code });
        command.Parameters.Add(new() { Value = key });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.That(await reader.ReadAsync(), Is.True, "the key's record is kept");
        Assert.That((reader.GetString(0), reader.GetString(1), reader.GetBoolean(2)), Is.EqualTo(("201", await first.Content.ReadAsStringAsync(), true)));
    }

    [Test]
    public async Task a_key_is_kept_for_24_hours_and_then_swept_so_it_may_name_a_new_request()
    {
        var community = await Given.ACommunity();
        var key = Guid.NewGuid().ToString();
        var sweeper = TestHost.Factory.Services.GetRequiredService<ExpiredIdempotencyRecords>();
        await community.Http.SendAsync(Enrol(community, key));

        using (TestHost.Factory.Clock.Travel(TimeSpan.FromHours(24) - TimeSpan.FromMinutes(1)))
        {
            await sweeper.SweepAsync(CancellationToken.None);
            var withinADay = await community.Http.SendAsync(Enrol(community, key, team: "night-watch"));
            Assert.That((await withinADay.ReadProblem(HttpStatusCode.UnprocessableEntity))["code"]!.GetValue<string>(), Is.EqualTo("idempotency-key-reused"));
        }

        using (TestHost.Factory.Clock.Travel(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1)))
        {
            Assert.That(await sweeper.SweepAsync(CancellationToken.None), Is.GreaterThanOrEqualTo(1));
            var events = await community.EventCount();
            var later = await community.Http.SendAsync(Enrol(community, key, team: "night-watch"));
            Assert.That(later.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(await community.EventCount(), Is.GreaterThan(events));
        }
    }

    [Test]
    public async Task the_same_key_with_another_body_is_refused()
    {
        var community = await Given.ACommunity();
        var key = Guid.NewGuid().ToString();
        await community.Http.SendAsync(Enrol(community, key));
        var events = await community.EventCount();

        var other = await community.Http.SendAsync(Enrol(community, key, team: "night-watch"));

        Assert.That((await other.ReadProblem(HttpStatusCode.UnprocessableEntity))["code"]!.GetValue<string>(), Is.EqualTo("idempotency-key-reused"));
        Assert.That(await community.EventCount(), Is.EqualTo(events));
    }

    [Test]
    public async Task a_request_refused_by_validation_is_not_kept_and_may_be_corrected_under_its_key()
    {
        var community = await Given.ACommunity();
        var key = Guid.NewGuid().ToString();
        var invalid = new HttpRequestMessage(HttpMethod.Post, community.Url("/volunteers"))
        {
            Headers = { { "Idempotency-Key", key } },
            Content = JsonContent.Create(new { name = "", team = "general-care", recordedBy = "grid-01" }),
        };

        var refused = await community.Http.SendAsync(invalid);
        var corrected = await community.Http.SendAsync(Enrol(community, key));

        await refused.ReadProblem(HttpStatusCode.BadRequest);
        Assert.That(corrected.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [Test]
    public async Task fifty_simultaneous_requests_with_one_key_write_exactly_one_event_and_all_get_its_answer()
    {
        var community = await Given.ACommunity();
        var key = Guid.NewGuid().ToString();
        var events = await community.EventCount();

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => community.Http.SendAsync(Enrol(community, key))));

        Assert.That(await community.EventCount(), Is.EqualTo(events + 1));
        Assert.That(responses.Select(r => (int)r.StatusCode), Is.All.EqualTo(201), "the ones that lost the race were decided again: they answer the first answer");
        var ids = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<VolunteerResponse>(Json.Options))!.Id));
        Assert.That(ids.Distinct().Count(), Is.EqualTo(1));
        Assert.That(responses.Count(r => r.Headers.TryGetValues("Idempotent-Replayed", out var replayed) && replayed.Single() == "true"), Is.EqualTo(49));

        // Sent again later, it still gets the first answer.
        var retried = await community.Http.SendAsync(Enrol(community, key));
        Assert.That((await retried.Content.ReadFromJsonAsync<VolunteerResponse>(Json.Options))!.Id, Is.EqualTo(ids[0]));
    }

    [Test]
    public async Task an_idempotency_key_that_is_not_visible_ascii_is_refused()
    {
        var community = await Given.ACommunity();

        var response = await community.Http.SendAsync(Enrol(community, new string('k', 101)));

        Assert.That((await response.ReadProblem(HttpStatusCode.BadRequest)).ErrorFields(), Is.EqualTo(new[] { "Idempotency-Key" }));
    }

    [Test]
    public async Task a_sweep_and_a_trim_remove_more_records_than_one_delete_takes_and_keep_the_newest()
    {
        var community = await Given.ACommunity();
        var partnerKey = "chunked" + Guid.NewGuid().ToString("N")[..8];
        var now = TestHost.Factory.Clock.GetUtcNow();
        var sweeper = TestHost.Factory.Services.GetRequiredService<ExpiredIdempotencyRecords>();
        await using var connection = new NpgsqlConnection(TestHost.ConnectionString);
        await connection.OpenAsync();
        // 20,000 records of one partner key, received a second apart: the 12,000 newest within the day, the 8,000
        // oldest two days ago.
        await using (var insert = new NpgsqlCommand($"""
            insert into {Api.Infrastructure.EventStore.EventStoreSetup.SchemaName}.mt_doc_idempotentrequest (tenant_id, id, data, mt_dotnet_type, received_at)
            select $1, $2 || ':' || n, jsonb_build_object(), 'test', $3 - n * interval '1 second' - case when n > 12000 then interval '2 days' else interval '0' end
            from generate_series(1, 20000) as n
            """, connection) { Parameters = { new() { Value = community.Code }, new() { Value = partnerKey }, new() { Value = now } } })
        {
            await insert.ExecuteNonQueryAsync();
        }

        async Task<(long Count, DateTimeOffset Oldest)> Kept()
        {
            await using var read = new NpgsqlCommand($"select count(*), min(received_at) from {Api.Infrastructure.EventStore.EventStoreSetup.SchemaName}.mt_doc_idempotentrequest where split_part(id, ':', 1) = $1", connection)
            { Parameters = { new() { Value = partnerKey } } };
            await using var reader = await read.ExecuteReaderAsync();
            await reader.ReadAsync();
            return (reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1));
        }

        Assert.That(await sweeper.SweepAsync(CancellationToken.None), Is.GreaterThanOrEqualTo(8000));
        Assert.That(await Kept(), Is.EqualTo((12000L, now.AddSeconds(-12000))));
        Assert.That(await sweeper.TrimAsync(1000, CancellationToken.None), Is.GreaterThanOrEqualTo(11000));
        Assert.That(await Kept(), Is.EqualTo((1000L, now.AddSeconds(-1000))));
    }
}
