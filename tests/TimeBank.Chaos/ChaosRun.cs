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
    /// own and sent until settled, for as long as <paramref name="going"/> says. Its requests go to this run's service,
    /// or to the node <paramref name="clients"/> gives.
    /// </summary>
    public async Task RecordGreetingsWhileAsync(
        RunCommunity community, int person, DateOnly day, Func<bool> going, ConcurrentDictionary<Guid, WriteOutcome> outcomes, TimeSpan giveUpAfter,
        Func<HttpClient>? clients = null)
    {
        var writer = new RetryingWriter(clients ?? NewClient, giveUpAfter);
        for (var i = 0; going(); i++)
        {
            var serviceId = Guid.CreateVersion7();
            outcomes[serviceId] = await writer.PostAsync(
                $"/api/v1/communities/{community.Code}/services", LedgerDriver.GreetingCall(serviceId, community.People[person], LedgerDriver.At(day, 6 * i), 5));
        }
    }

    /// <summary>
    /// One retrying client placing one-item orders for one volunteer (the community's <paramref name="person"/>th) at
    /// a station, taking its items in turn, each under an order id of its own and sent until settled, for as long as
    /// <paramref name="going"/> says, with <paramref name="pause"/> between orders.
    /// </summary>
    public async Task PlaceOrdersWhileAsync(
        RunCommunity community, int person, Guid stationId, IReadOnlyList<Guid> items, Func<bool> going, ConcurrentDictionary<Guid, WriteOutcome> outcomes,
        TimeSpan giveUpAfter, Func<HttpClient>? clients = null, TimeSpan pause = default)
    {
        var writer = new RetryingWriter(clients ?? NewClient, giveUpAfter);
        for (var i = 0; going(); i++)
        {
            var orderId = Guid.CreateVersion7();
            outcomes[orderId] = await writer.PostAsync($"/api/v1/communities/{community.Code}/stations/{stationId}/orders", new
            {
                orderId,
                volunteerId = community.People[person].Volunteer,
                items = new[] { new { itemId = items[i % items.Count], quantity = 1 } },
                recordedBy = LedgerDriver.Recorder,
            });
            if (pause > TimeSpan.Zero) await Task.Delay(pause);
        }
    }

    /// <summary>The first day of the quarter that is still open: where the scenarios' own services go.</summary>
    public DateOnly OpenQuarterStart => Ledger.LastWholeQuarter().FirstDay.AddMonths(3);
}
