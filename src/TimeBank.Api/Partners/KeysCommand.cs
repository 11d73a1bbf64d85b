using Marten;
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
    public const string Usage = """
        keys issue --partner <name> --roles <admin,recorder,store,reader,auditor> --communities <*|code,code> [--rps <n>]
        keys list
        keys revoke <key id>
        """;

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        try
        {
            return await RunCommandAsync(app, args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            return CommandLine.Fail($"{e.Message}{Environment.NewLine}{Usage}");
        }
    }

    private static async Task<int> RunCommandAsync(WebApplication app, string[] args)
    {
        await DatabaseSchema.ApplyWhenOwnerGivenAsync(app.Configuration, CancellationToken.None);
        var store = app.Services.GetRequiredService<IDocumentStore>();
        var clock = app.Services.GetRequiredService<TimeProvider>();
        await using var session = store.LightweightSession();
        switch (args)
        {
            case ["issue", .. var options]:
                var flags = CommandLine.Flags(options) ?? throw new ArgumentException("Options come as --name value pairs.");
                var command = new IssueKey(
                    flags.GetValueOrDefault("partner", ""),
                    flags.TryGetValue("roles", out var roles) ? [.. roles.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ParseRole)] : [],
                    flags.TryGetValue("communities", out var communities) ? communities.Split(',', StringSplitOptions.RemoveEmptyEntries) : [],
                    flags.TryGetValue("rps", out var rps) ? int.Parse(rps, System.Globalization.CultureInfo.InvariantCulture) : null,
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
            case ["list"]:
                foreach (var key in await session.Query<PartnerKey>().OrderBy(k => k.IssuedAt).ToListAsync())
                {
                    Console.WriteLine($"{key.Id}  {key.Partner}  {string.Join(",", key.Roles).ToLowerInvariant()}  {string.Join(",", key.Communities)}  {(key.IsRevoked ? "revoked" : "active")}");
                }

                return 0;
            case ["revoke", var id] when Guid.TryParse(id, out var keyId):
                var stream = await session.Events.FetchForWriting<PartnerKey>(keyId);
                var revoked = PartnerKeys.Revoke(null, stream.Aggregate, "command-line", clock);
                if (revoked.Rejection is { } refused) return CommandLine.Fail(refused.Message);
                stream.AppendOne(revoked.Event!);
                await session.SaveChangesAsync();
                Console.WriteLine($"Revoked key {keyId}.");
                return 0;
            default:
                return CommandLine.Fail(Usage);
        }
    }

    private static PartnerRole ParseRole(string text) =>
        Enum.TryParse<PartnerRole>(text, ignoreCase: true, out var role) && Enum.IsDefined(role) ? role : throw new ArgumentException($"Unknown role '{text}'.");
}
