using System.Text.Json.Nodes;
using Npgsql;
using TimeBank.Api.Elders;
using TimeBank.Api.Pairings;
using TimeBank.Api.Services;
using TimeBank.Api.Volunteers;

namespace TimeBank.Api.Tests.People;

public class ErasureTests
{
    [Test]
    public async Task after_erasure_no_endpoint_and_no_table_holds_the_persons_data_and_every_balance_is_unchanged()
    {
        var community = await Given.ACommunity();
        var marker = Guid.NewGuid().ToString("N")[..8];
        var name = "欧阳" + marker;
        var phone = "1381" + Random.Shared.Next(1_000_000, 9_999_999);
        var address = "9号楼" + marker + "室";
        var volunteer = await (await community.Http.PostAsJsonAsync(community.Url("/volunteers"), new { name, phone, birthDate = "1960-05-04", team = "arts", enrolledOn = "2026-01-05", recordedBy = "grid-01" }))
            .ReadCreated<VolunteerResponse>();
        var elder = await (await community.Http.PostAsJsonAsync(community.Url("/elders"), new
        {
            name = name + "老人",
            address,
            careCategory = "poor",
            lunarBirthday = new { month = 8, day = 15 },
            emergencyContact = new { name = name + "儿子", phone = phone + "9" },
            recordedBy = "grid-01",
        })).ReadCreated<ElderResponse>();
        await community.Pair(volunteer.Id, elder.Id);
        var noted = await (await community.Http.PostAsJsonAsync(community.Url("/services"), new
        {
            volunteerId = volunteer.Id,
            elderIds = new[] { elder.Id },
            serviceType = "home-visit",
            startedAt = "2026-11-22T09:00:00+08:00",
            minutes = 75,
            note = $"{name}老人 needed help with the stove",
            recordedBy = "grid-01",
        })).ReadCreated<ServiceResponse>();
        Assert.That((await community.ServiceOf(noted.ServiceId)).Note, Does.Contain(marker));
        var before = await community.TimeAccountOf(volunteer.Id);
        Assert.That(await RowsContaining(name), Is.GreaterThan(0), "the search finds the data before erasure");

        var erasedVolunteer = await community.Http.PostAsJsonAsync(community.Url($"/people/{volunteer.Id}/erasure"), new { recordedBy = "office-01" });
        var erasedElder = await community.Http.PostAsJsonAsync(community.Url($"/people/{elder.Id}/erasure"), new { recordedBy = "office-01" });
        var again = await community.Http.PostAsJsonAsync(community.Url($"/people/{elder.Id}/erasure"), new { recordedBy = "office-01" });

        Assert.That(erasedVolunteer.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(erasedElder.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await again.ReadProblem(HttpStatusCode.NotFound);

        foreach (var path in new[] { $"/volunteers/{volunteer.Id}", $"/elders/{elder.Id}", $"/elders/{elder.Id}/pairing-card", $"/volunteers/{volunteer.Id}/time-account", $"/services/{noted.ServiceId}" })
        {
            var body = await community.Http.GetStringAsync(community.Url(path));
            Assert.That(body, Does.Not.Contain(marker).And.Not.Contain(phone).And.Not.Contain("1960-05-04"), path);
        }

        Assert.That((await community.Http.GetFromJsonAsync<VolunteerResponse>(community.Url($"/volunteers/{volunteer.Id}"), Json.Options))!.PersonalDataErased, Is.True);
        var card = await community.Http.GetFromJsonAsync<PairingCardResponse>(community.Url($"/elders/{elder.Id}/pairing-card"), Json.Options);
        Assert.That(card!.Volunteer, Is.EqualTo(new CardContact(volunteer.Id, null, null)));
        Assert.That(await RowsContaining(marker), Is.Zero);
        Assert.That(await RowsContaining(phone), Is.Zero);
        Assert.That(await community.TimeAccountOf(volunteer.Id), Is.EqualTo(before));
    }

    /// <summary>
    /// A volunteer and an elder registered with an Idempotency-Key, as partner clients send every write, then erased:
    /// a full dump of the database (every table, every schema) holds none of their names, phones or addresses, in
    /// any form JSON may have written them.
    /// </summary>
    [Test]
    public async Task after_erasure_a_dump_of_the_whole_database_holds_nothing_of_the_person_idempotency_key_or_not()
    {
        var community = await Given.ACommunity();
        var marker = Guid.NewGuid().ToString("N")[..8];
        var personal = new List<string> { "司马" + marker, "1391" + Random.Shared.Next(1_000_000, 9_999_999), "司马" + marker + "老人", "7号楼" + marker + "单元", "司马" + marker + "女儿", "1371" + Random.Shared.Next(1_000_000, 9_999_999) };
        async Task<Guid> Register(string path, object body)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, community.Url(path)) { Headers = { { "Idempotency-Key", Guid.NewGuid().ToString() } }, Content = JsonContent.Create(body) };
            var response = await community.Http.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
            return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<Guid>();
        }

        var volunteer = await Register("/volunteers", new { name = personal[0], phone = personal[1], team = "arts", enrolledOn = "2026-01-05", recordedBy = "grid-01" });
        var elder = await Register("/elders", new
        {
            name = personal[2],
            address = personal[3],
            careCategory = "poor",
            emergencyContact = new { name = personal[4], phone = personal[5] },
            recordedBy = "grid-01",
        });
        var dumped = await DumpAsync();
        Assert.That(personal.Where(p => Written(dumped, p)), Is.Not.Empty, "the dump holds the data before erasure");

        foreach (var person in new[] { volunteer, elder })
        {
            var erased = await community.Http.PostAsJsonAsync(community.Url($"/people/{person}/erasure"), new { recordedBy = "office-01" });
            Assert.That(erased.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        dumped = await DumpAsync();
        Assert.That(personal.Where(p => Written(dumped, p)), Is.Empty);
    }

    /// <summary>As written, or escaped as JSON writes text outside ASCII (\u53F8), in either case of hex digit.</summary>
    private static bool Written(string dump, string text) =>
        dump.Contains(text, StringComparison.Ordinal)
        || dump.Contains(System.Text.Json.JsonEncodedText.Encode(text).ToString(), StringComparison.OrdinalIgnoreCase);

    private static async Task<string> DumpAsync()
    {
        var database = new NpgsqlConnectionStringBuilder(TestHost.ConnectionString);
        var dump = new System.Diagnostics.ProcessStartInfo(TimeBank.Harness.PostgresTools.Find("pg_dump"),
            ["-h", database.Host!, "-p", database.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", database.Username!, "-d", database.Database!])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(dump)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, await errors);
        return await output;
    }

    /// <summary>Rows of any table of the test database whose text contains <paramref name="text"/>.</summary>
    private static async Task<long> RowsContaining(string text)
    {
        await using var connection = new NpgsqlConnection(TestHost.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "select quote_ident(table_schema) || '.' || quote_ident(table_name) from information_schema.tables where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')",
            connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }

        long rows = 0;
        foreach (var table in tables)
        {
            await using var count = new NpgsqlCommand($"select count(*) from {table} t where t::text like '%' || @text || '%'", connection);
            count.Parameters.AddWithValue("text", text);
            rows += (long)(await count.ExecuteScalarAsync())!;
        }

        return rows;
    }
}
