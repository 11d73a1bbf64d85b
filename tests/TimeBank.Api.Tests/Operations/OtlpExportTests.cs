using System.Collections.Concurrent;
using TimeBank.Harness;

namespace TimeBank.Api.Tests.Operations;

/// <summary>With an OTLP endpoint configured, the service pushes its traces and metrics there.</summary>
[NonParallelizable]
public class OtlpExportTests
{
    [Test]
    public async Task traces_and_metrics_are_pushed_to_the_configured_otlp_endpoint()
    {
        // A stand-in collector on 127.0.0.1 that only notes which signal each push was for.
        var collectorPort = ThrowawayPostgres.FreePort();
        using var collector = new HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{collectorPort}/");
        collector.Start();
        var pushed = new ConcurrentBag<string>();
        var receiving = Task.Run(async () =>
        {
            while (collector.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await collector.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                pushed.Add($"{context.Request.HttpMethod} {context.Request.Url!.AbsolutePath} {context.Request.ContentType}");
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        });

        var port = ThrowawayPostgres.FreePort();
        // As the runtime role, the schema applied by the owner, like every service the tests start.
        var settings = TestHost.ServiceSettings(await TestHost.FreshDatabaseAsync(null, "_test_otlp"));
        using var service = BuiltService.Start(new Dictionary<string, string>(settings)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Telemetry__OtlpEndpoint"] = $"http://127.0.0.1:{collectorPort}",
            ["Telemetry__OtlpProtocol"] = "http/protobuf",
            // The SDK's own variables: push within a second rather than after a minute.
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        }, "--urls", $"http://127.0.0.1:{port}");
        service.OutputDataReceived += (_, _) => { };
        service.ErrorDataReceived += (_, _) => { };
        service.BeginOutputReadLine();
        service.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            while (DateTime.UtcNow < until && !service.HasExited)
            {
                try
                {
                    // A traced request (a refused read; health probes are not traced).
                    await http.GetAsync("/api/v1/communities/nowhere");
                }
                catch (HttpRequestException) { /* not listening yet */ }
                catch (TaskCanceledException) { /* slow start */ }

                if (pushed.Any(p => p.StartsWith("POST /v1/traces", StringComparison.Ordinal)) && pushed.Any(p => p.StartsWith("POST /v1/metrics", StringComparison.Ordinal))) break;
                await Task.Delay(500);
            }

            Assert.That(pushed, Has.Some.StartsWith("POST /v1/traces application/x-protobuf"));
            Assert.That(pushed, Has.Some.StartsWith("POST /v1/metrics application/x-protobuf"));
        }
        finally
        {
            if (!service.HasExited)
            {
                service.Kill(entireProcessTree: true);
                await service.WaitForExitAsync();
            }

            collector.Stop();
            await receiving;
        }
    }
}
