using System.Globalization;
using TimeBank.Harness;

namespace TimeBank.Bench;

/// <summary>
/// What every measurement of one run shares: the service, the database, the scale, and the driver that sets
/// scenes through the REST API (communities named after the run, so runs never share a stream).
/// </summary>
public sealed class BenchRun(IServiceUnderTest service, string apiKey, string connectionString, BenchScale scale, DateTimeOffset now, string county, TextWriter log)
{
    public IServiceUnderTest Service { get; } = service;

    public string ConnectionString { get; } = connectionString;

    public BenchScale Scale { get; } = scale;

    /// <summary>The county data set's county; its communities are <c>{County}-01</c>, <c>-02</c>...</summary>
    public string County { get; } = county;

    public LedgerDriver Ledger { get; } = new(service.NewClient(apiKey), now, Guid.NewGuid().ToString("N")[..8]);

    public HttpClient Http => Ledger.Http;

    public TextWriter Log { get; } = log;

    public string CountyCommunity(int number) => $"{County}-{number:00}";

    public void Say(string line) => Log.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");

    public static string Number(double value) => value.ToString("#,0", CultureInfo.InvariantCulture);
}
