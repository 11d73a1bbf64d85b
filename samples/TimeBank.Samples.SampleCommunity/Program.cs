using Microsoft.Kiota.Abstractions;
using TimeBank.Client;
using TimeBank.Samples.SampleCommunity;

// Usage: TIMEBANK_API_KEY=<key> dotnet run --project samples/TimeBank.Samples.SampleCommunity -- [service URL] [community code] [days]
// The key must be an admin key for all communities (it registers the community); ./build.sh --target=Run makes one.
// Without days it loads from the first day of the last closed quarter: that quarter whole, and the current one to date.
// Run again, it loads only what is missing (a load cut off halfway is finished, and the days since are added).
var baseUrl = args.Length > 0 ? args[0] : "http://127.0.0.1:5080";
var code = args.Length > 1 ? args[1] : "minle";
var now = DateTimeOffset.Now;

var client = TimeBankClients.For(new Uri(baseUrl), Environment.GetEnvironmentVariable("TIMEBANK_API_KEY") ?? "");
var loader = new SampleCommunityLoader(client, Console.Out);
try
{
    if (args.Length > 2) await loader.LoadAsync(code, int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), now);
    else await loader.LoadAsync(code, SampleCommunityLoader.FirstDayOfLastQuarter(now), now);
    return 0;
}
catch (Exception e) when (e is ApiException or HttpRequestException or InvalidOperationException)
{
    Console.Error.WriteLine($"Could not load the sample community: {e.Message}");
    return 1;
}
