using System.Collections.Concurrent;
using TimeBank.Harness;

namespace TimeBank.Chaos;

/// <summary>What the scenarios share: the service process, its database and cluster, the driver that sets scenes.</summary>
public sealed class ChaosRun(ServiceProcess service, PostgresCluster cluster, string connectionString, string apiKey, TextWriter log)
{
    public ServiceProcess Service { get; } = service;

    public PostgresCluster Cluster { get; } = cluster;

    public string ConnectionString { get; } = connectionString;

    public string ApiKey { get; } = apiKey;

    public LedgerDriver Ledger { get; } = new(service.NewClient(apiKey), DateTimeOffset.Now, Guid.NewGuid().ToString("N")[..8]);

    public HttpClient NewClient() => Service.NewClient(ApiKey);

    public void Say(string line) => log.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");

    /// <summary>
    /// A community whose volunteers hold points: greeting calls recorded in the last whole quarter, which is then
    /// closed. Services the scenarios record themselves fall in the current quarter, from its first day.
    /// </summary>
    public async Task<RunCommunity> CommunityWithPointsAsync(string purpose, int volunteers, int greetingsEach)
    {
        var (quarter, firstDay) = Ledger.LastWholeQuarter();
        var community = await Ledger.NewCommunityAsync(purpose, volunteers, firstDay);
        await Ledger.RecordGreetingsAsync(community, firstDay, greetingsEach, 2000);
        await Ledger.CloseQuarterAsync(community.Code, quarter, TimeSpan.FromMinutes(3));
        return community;
    }

    /// <summary>
    /// One retrying client recording five-minute greeting calls of one volunteer (the community's
    /// <paramref name="person"/>th), six minutes apart from <paramref name="day"/>, each under a service id of its
    /// own and sent until settled, for as long as <paramref name="going"/> says.
    /// </summary>
    public async Task RecordGreetingsWhileAsync(
        RunCommunity community, int person, DateOnly day, Func<bool> going, ConcurrentDictionary<Guid, WriteOutcome> outcomes, TimeSpan giveUpAfter)
    {
        var writer = new RetryingWriter(NewClient, giveUpAfter);
        for (var i = 0; going(); i++)
        {
            var serviceId = Guid.CreateVersion7();
            outcomes[serviceId] = await writer.PostAsync(
                $"/api/v1/communities/{community.Code}/services", LedgerDriver.GreetingCall(serviceId, community.People[person], LedgerDriver.At(day, 6 * i), 5));
        }
    }

    /// <summary>The first day of the quarter that is still open: where the scenarios' own services go.</summary>
    public DateOnly OpenQuarterStart => Ledger.LastWholeQuarter().FirstDay.AddMonths(3);
}
