using TimeBank.Bench;
using TimeBank.Harness;

namespace TimeBank.Api.Tests.Bench;

/// <summary>
/// Every measurement of the Bench target, at a scale of seconds, against the test host: so that the benchmark
/// cannot rot between the runs someone makes of it. Timings are not judged here (README: Performance).
/// </summary>
public class BenchSmokeTests
{
    [Test]
    public async Task every_measurement_runs_at_smoke_scale_and_the_replay_agrees_with_the_views()
    {
        var county = "smoke-" + Guid.NewGuid().ToString("N")[..8];
        var run = new BenchRun(new TestHostService(), TestHost.Factory.AdminKey, TestHost.ConnectionString, BenchScale.Smoke, TestHost.Factory.Clock.GetUtcNow(), county, TextWriter.Null);

        var outcome = await Benchmark.RunAsync(run);

        string[] measured =
        [
            "Baseline", "Raw Marten append", "HTTP single deposit, 1 clients", "HTTP single deposit at 2 clients", "HTTP single deposit p99",
            "One deposit, volunteer with no services", "One deposit, volunteer with 40 services", "Round trips to PostgreSQL per deposit", "Bulk import", "Redemptions",
            "Full replay", "County quarterly report", "Overdue list", "Peak RSS of the service during the HTTP deposits", "Peak RSS of the service during the replay",
        ];
        Assert.Multiple(() =>
        {
            foreach (var name in measured) Assert.That(outcome.Figures.Any(f => f.Name.StartsWith(name, StringComparison.Ordinal)), name);
            Assert.That(outcome.Figures.Where(f => !double.IsFinite(f.Value) || f.Value <= 0).Select(f => f.Name), Is.Empty, "every figure measured something");
            Assert.That(outcome.Figures.Single(f => f.Name.StartsWith("Full replay", StringComparison.Ordinal)).Note, Is.EqualTo("views equal to the live ones"));
            Assert.That(outcome.Figures.Single(f => f.Name.StartsWith("Bulk import", StringComparison.Ordinal)).Note, Is.EqualTo("60 services"));
            Assert.That(outcome.Markdown, Does.Contain("| Figure | Value | Ratio to baseline | Target | Met | Notes |"));
        });
    }

    /// <summary>The test host as the service under measurement; its memory is this test process's.</summary>
    private sealed class TestHostService : IServiceUnderTest
    {
        public HttpClient NewClient(string apiKey) => TestHost.Factory.WithKey(apiKey);

        public ProcessMemory Memory => new(Environment.ProcessId);

        public Task<SeparateService> StartSeparateAsync(string connectionString)
        {
            var host = TestHost.StartHost("Testing", connectionString, clock: TestHost.Factory.Clock.GetUtcNow());
            return Task.FromResult(new SeparateService(host.CreateClient(), new ProcessMemory(Environment.ProcessId), host.DisposeAsync));
        }
    }
}
