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
