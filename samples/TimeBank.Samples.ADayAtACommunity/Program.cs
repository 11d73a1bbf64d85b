using Microsoft.Kiota.Abstractions;
using TimeBank.Client;
using TimeBank.Client.Generated.Models;
using TimeBank.Samples.ADayAtACommunity;

// Usage: TIMEBANK_API_KEY=<admin key for all communities> dotnet run --project samples/TimeBank.Samples.ADayAtACommunity -- [service URL] [community code]
// Start the service with ./build.sh --target=Run, which prints such a key.
var baseUrl = args.Length > 0 ? args[0] : "http://127.0.0.1:5080";
var code = args.Length > 1 ? args[1] : $"day-{DateTime.UtcNow:yyyyMMddHHmmss}";
var key = Environment.GetEnvironmentVariable("TIMEBANK_API_KEY");
if (string.IsNullOrEmpty(key))
{
    Console.Error.WriteLine("Set TIMEBANK_API_KEY to a partner key (./build.sh --target=Run prints one).");
    return 2;
}

try
{
    await new ADayAtACommunity(TimeBankClients.For(new Uri(baseUrl), key), Console.Out).RunAsync(code, DateTimeOffset.Now);
    return 0;
}
catch (Problem problem)
{
    Console.Error.WriteLine($"The day stopped: {problem.Status} {problem.Code}: {problem.Detail}");
    return 1;
}
catch (Exception e) when (e is ApiException or HttpRequestException)
{
    Console.Error.WriteLine($"The day stopped: {e.Message}");
    return 1;
}
