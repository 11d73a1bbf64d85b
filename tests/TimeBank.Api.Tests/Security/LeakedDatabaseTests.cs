using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace TimeBank.Api.Tests.Security;

/// <summary>A dump of the database holds no key that can call the API.</summary>
public class LeakedDatabaseTests
{
    [Test]
    public async Task nothing_the_database_holds_about_a_key_opens_the_api()
    {
        var community = await Given.ACommunity();
        var issued = await community.AKey("leak-test", "reader");
        var secret = issued.Key.Split('_', 3)[2]; // URL-safe base64, so the secret itself may hold '_'

        // Every text the database holds that mentions the key, in its events and documents.
        var dump = new List<string>();
        await using (var query = TestHost.Factory.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
            $"select data::text from timebank.mt_events where data::text like '%{issued.KeyId}%' union all select data::text from timebank.mt_doc_partnerkey where id = '{issued.KeyId}'"))
        await using (var reader = await query.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) dump.Add(reader.GetString(0));
        }

        Assert.That(dump, Is.Not.Empty);
        Assert.That(dump.Any(row => row.Contains(secret, StringComparison.Ordinal)), Is.False, "the secret itself is never stored");
        // The stored hash, sent as if it were the secret, is refused.
        var hash = System.Text.Json.Nodes.JsonNode.Parse(dump[0])!["secretHash"]!.GetValue<string>();
        var withHash = await TestHost.Factory.WithKey($"tb_{issued.KeyId:N}_{hash}").GetAsync(community.Url());
        Assert.That((await withHash.ReadProblem(HttpStatusCode.Unauthorized))["code"]!.GetValue<string>(), Is.EqualTo("invalid-api-key"));
        Assert.That((await TestHost.Factory.WithKey(issued.Key).GetAsync(community.Url())).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
