using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TimeBank.Api.Infrastructure.Http;

namespace TimeBank.Api.Tests.Security;

/// <summary>What one request may cost: size, depth, and how slowly it may arrive.</summary>
public class RequestLimitsTests
{
    [Test]
    public async Task a_body_over_four_megabytes_is_refused_with_413_and_writes_nothing()
    {
        var community = await Given.ACommunity();
        var events = await community.EventCount();
        var huge = new StringContent("{\"name\":\"" + new string('x', 10 * 1024 * 1024) + "\",\"team\":\"t\",\"recordedBy\":\"grid-01\"}", Encoding.UTF8, "application/json");

        var response = await community.Http.PostAsync(community.Url("/volunteers"), huge);

        Assert.That((await response.ReadProblem(HttpStatusCode.RequestEntityTooLarge))["code"]!.GetValue<string>(), Is.EqualTo("body-too-large"));
        Assert.That(await community.EventCount(), Is.EqualTo(events));
    }

    [TestCase(20)]
    [TestCase(100_000)]
    public async Task json_nested_deeper_than_the_limit_is_refused_as_malformed(int depth)
    {
        var community = await Given.ACommunity();
        var nested = new StringBuilder("{\"name\":\"王秀兰\",\"team\":\"t\",\"recordedBy\":\"grid-01\",\"externalReference\":");
        nested.Append(new string('[', depth)).Append(new string(']', depth)).Append('}');

        var response = await community.Http.PostAsync(community.Url("/volunteers"), new StringContent(nested.ToString(), Encoding.UTF8, "application/json"));

        Assert.That((await response.ReadProblem(HttpStatusCode.BadRequest))["code"]!.GetValue<string>(), Is.EqualTo("malformed-json"));
    }

    [Test]
    public async Task a_query_of_a_hundred_kilobytes_is_refused_with_a_414_problem()
    {
        var community = await Given.ACommunity();

        var response = await community.Http.GetAsync(community.Url("/volunteers?after=" + new string('1', 100 * 1024)));

        Assert.That((await response.ReadProblem(HttpStatusCode.RequestUriTooLong))["code"]!.GetValue<string>(), Is.EqualTo("uri-too-long"));
    }

    [Test]
    public async Task a_body_of_the_wrong_shape_is_refused_without_naming_a_type_of_the_service()
    {
        var community = await Given.ACommunity();

        var response = await community.Http.PostAsync(community.Url("/services"), new StringContent("[1,2,3]", Encoding.UTF8, "application/json"));

        var problem = await response.ReadProblem(HttpStatusCode.BadRequest);
        Assert.That(problem.ToJsonString(), Does.Not.Contain("TimeBank.").And.Not.Contain("System."));
    }

    [Test]
    public async Task a_time_without_an_offset_is_refused_saying_that_an_offset_is_needed()
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var elder = await community.AnElder();

        var response = await community.Http.PostAsJsonAsync(community.Url("/services"), new
        {
            volunteerId = volunteer.Id,
            elderIds = new[] { elder.Id },
            serviceType = "home-visit",
            startedAt = "2026-11-22T09:00:00",
            minutes = 60,
            recordedBy = "grid-01",
        });

        var problem = await response.ReadProblem(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "startedAt" }));
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("offset").And.Not.Contain("System."));
    }

    [Test]
    public void kestrel_cuts_off_clients_that_send_too_slowly_or_too_much()
    {
        var limits = TestHost.Factory.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;
        Assert.That(limits.MaxRequestBodySize, Is.EqualTo(RequestLimits.MaxBodyBytes));
        Assert.That(limits.RequestHeadersTimeout, Is.LessThanOrEqualTo(TimeSpan.FromSeconds(10)));
        Assert.That((limits.MinRequestBodyDataRate!.BytesPerSecond, limits.MinRequestBodyDataRate.GracePeriod), Is.EqualTo((240d, TimeSpan.FromSeconds(5))));
        Assert.That(limits.MinResponseDataRate, Is.Not.Null);
    }
}
