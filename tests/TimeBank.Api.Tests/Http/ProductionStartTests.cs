namespace TimeBank.Api.Tests.Http;

public class ProductionStartTests
{
    [Test]
    public async Task the_service_starts_in_production_on_its_pre_generated_code_and_answers()
    {
        // Production loads the handler code the build generated (no runtime compiler is shipped); a missing
        // or stale file would stop the start here.
        await using var production = TestHost.StartHost("Production", await TestHost.FreshDatabaseAsync(null, "_test_production"));
        var http = production.CreateClient();

        var health = await http.GetAsync("/health");
        var missing = await http.GetAsync("/api/v1/communities/no-such-place");

        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await missing.ReadProblem(HttpStatusCode.NotFound);
    }
}
