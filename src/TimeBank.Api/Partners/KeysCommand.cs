using System.ComponentModel;
using Marten;
using Spectre.Console.Cli;
using TimeBank.Api.Infrastructure;
using TimeBank.Api.Infrastructure.Database;
using TimeBank.Domain.Partners;

namespace TimeBank.Api.Partners;

/// <summary>
/// <c>keys issue|list|revoke</c> on the service's command line: how the first admin key is made, and how an
/// operator manages keys without one. It talks to the database directly and writes the same events as the API.
/// </summary>
public static class KeysCommand
{
    public sealed class IssueSettings : CommandSettings
    {
        [CommandOption("--partner <NAME>", isRequired: true)]
        [Description("Who the key is for")]
        public string Partner { get; init; } = "";

        [CommandOption("--roles <ROLES>", isRequired: true)]
        [Description("admin,recorder,store,reader,auditor (comma-separated)")]
        public string Roles { get; init; } = "";

        [CommandOption("--communities <CODES>", isRequired: true)]
        [Description("* for all, or community codes, comma-separated")]
        public string Communities { get; init; } = "";

        [CommandOption("--rps <N>")]
        [Description("Requests per second the key may make")]
        public int? Rps { get; init; }
    }

    public sealed class RevokeSettings : CommandSettings
    {
        [CommandArgument(0, "<KEY_ID>")]
        [Description("The key's id (keys list shows it)")]
        public Guid KeyId { get; init; }
    }

    public static void Register(IConfigurator config, Lazy<IServiceProvider> host) =>
        config.AddBranch("keys", keys =>
        {
            keys.SetDescription("Partner keys, including the first admin key: issue, list, revoke");
            keys.AddAsyncDelegate<IssueSettings>("issue", (_, settings, _) => IssueAsync(host.Value, settings)).WithDescription("Issue a key (shown only once)");
            keys.AddAsyncDelegate<EmptyCommandSettings>("list", (_, _, _) => ListAsync(host.Value)).WithDescription("List every key");
            keys.AddAsyncDelegate<RevokeSettings>("revoke", (_, settings, _) => RevokeAsync(host.Value, settings.KeyId)).WithDescription("Revoke a key");
        });

    private static async Task<IDocumentSession> OpenAsync(IServiceProvider services)
    {
        await DatabaseSchema.ApplyWhenOwnerGivenAsync(services.GetRequiredService<IConfiguration>(), CancellationToken.None);
        return services.GetRequiredService<IDocumentStore>().LightweightSession();
    }

    private static async Task<int> IssueAsync(IServiceProvider services, IssueSettings settings)
    {
        if (settings.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(r => ParseRole(r) is null) is { } unknown)
        {
            return CommandLine.Fail($"Unknown role '{unknown}': admin, recorder, store, reader or auditor.");
        }

        var clock = services.GetRequiredService<TimeProvider>();
        await using var session = await OpenAsync(services);
        var command = new IssueKey(
            settings.Partner,
            [.. settings.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(r => ParseRole(r)!.Value)],
            settings.Communities.Split(',', StringSplitOptions.RemoveEmptyEntries),
            settings.Rps,
            "command-line");
        var invalid = new IssueKey.Validator().Validate(command);
        if (!invalid.IsValid) return CommandLine.Fail(string.Join("; ", invalid.Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}")));
        var (issued, rejection) = KeyEndpoints.IssueOn(session, null, command, clock);
        if (rejection is not null) return CommandLine.Fail(rejection.Message);
        await session.SaveChangesAsync();
        Console.WriteLine($"Issued key {issued!.KeyId} to '{issued.Partner}' ({string.Join(",", issued.Roles).ToLowerInvariant()} in {string.Join(",", issued.Communities)}).");
        Console.WriteLine("Send it in the X-Api-Key header; it is shown only now:");
        Console.WriteLine(issued.Key);
        return 0;
    }

    private static async Task<int> ListAsync(IServiceProvider services)
    {
        await using var session = await OpenAsync(services);
        foreach (var key in await session.Query<PartnerKey>().OrderBy(k => k.IssuedAt).ToListAsync())
        {
            Console.WriteLine($"{key.Id}  {key.Partner}  {string.Join(",", key.Roles).ToLowerInvariant()}  {string.Join(",", key.Communities)}  {(key.IsRevoked ? "revoked" : "active")}");
        }

        return 0;
    }

    private static async Task<int> RevokeAsync(IServiceProvider services, Guid keyId)
    {
        var clock = services.GetRequiredService<TimeProvider>();
        await using var session = await OpenAsync(services);
        var stream = await session.Events.FetchForWriting<PartnerKey>(keyId);
        var revoked = PartnerKeys.Revoke(null, stream.Aggregate, "command-line", clock);
        if (revoked.Rejection is { } refused) return CommandLine.Fail(refused.Message);
        stream.AppendOne(revoked.Event!);
        await session.SaveChangesAsync();
        Console.WriteLine($"Revoked key {keyId}.");
        return 0;
    }

    private static PartnerRole? ParseRole(string text) =>
        Enum.TryParse<PartnerRole>(text, ignoreCase: true, out var role) && Enum.IsDefined(role) ? role : null;
}
