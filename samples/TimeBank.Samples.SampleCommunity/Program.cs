using Microsoft.Kiota.Abstractions;
using TimeBank.Client;
using TimeBank.Samples.SampleCommunity;

// Usage: TIMEBANK_API_KEY=<key> dotnet run --project samples/TimeBank.Samples.SampleCommunity -- [service URL] [community code] [days]
// The key must be an admin key for all communities (it registers the community); ./build.sh --target=Run makes one.
var baseUrl = args.Length > 0 ? args[0] : "http://127.0.0.1:5080";
var code = args.Length > 1 ? args[1] : "minle";
// A quarter of the six-ones rhythm by default.
var days = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 91;

var client = TimeBankClients.For(new Uri(baseUrl), Environment.GetEnvironmentVariable("TIMEBANK_API_KEY") ?? "");
try
{
    await new SampleCommunityLoader(client, Console.Out).LoadAsync(code, days, DateTimeOffset.Now);
    return 0;
}
catch (Exception e) when (e is ApiException or HttpRequestException or InvalidOperationException)
{
    Console.Error.WriteLine($"Could not load the sample community: {e.Message}");
    return 1;
}
