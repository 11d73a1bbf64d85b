using Marten;
using TimeBank.Api.Infrastructure.Database;

namespace TimeBank.Api.Audit;

/// <summary>
/// <c>audit verify [--community code]</c> on the service's command line: recomputes the event chain and names
/// the first broken link; exits with 1 when there is one.
/// </summary>
public static class AuditCommand
{
    public const string Usage = """
        audit verify [--community <code>]
        """;

    public static async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        if (args is not ["verify", .. var options] || options.Length % 2 != 0) return Fail(Usage);
        var flags = Enumerable.Range(0, options.Length / 2).ToDictionary(i => options[2 * i].TrimStart('-'), i => options[(2 * i) + 1], StringComparer.Ordinal);
        await DatabaseConnection.EnsureDatabaseExistsAsync(DatabaseConnection.Resolve(services.GetRequiredService<IConfiguration>()), CancellationToken.None);
        var store = services.GetRequiredService<IDocumentStore>();
        await EventChain.EnsureAsync(store, CancellationToken.None);

        var community = flags.GetValueOrDefault("community");
        var progress = new Progress<long>(n => Console.WriteLine($"  {n:N0} events checked..."));
        var result = await EventChain.VerifyAsync(store, community, progress, CancellationToken.None);
        if (result.Intact)
        {
            Console.WriteLine($"The chain is intact: {result.EventsChecked:N0} events of {community ?? "every community"} checked.");
            return 0;
        }

        var first = result.First!;
        Console.WriteLine($"The chain is broken: {result.Broken.Count} places among {result.EventsChecked:N0} events. The first:");
        foreach (var link in result.Broken.Take(20))
        {
            Console.WriteLine($"  sequence {link.Sequence} ({link.Community}, stream {link.StreamId}, version {link.Version}): {link.Problem}");
        }

        Console.WriteLine($"First broken link: sequence {first.Sequence}.");
        return 1;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 1;
    }
}
