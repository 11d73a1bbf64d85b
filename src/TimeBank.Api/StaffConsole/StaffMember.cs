using System.Security.Claims;
using TimeBank.Domain.Partners;

namespace TimeBank.Api.StaffConsole;

/// <summary>
/// Who is signed in to the console: the partner key an admin issued them (kept only in the encrypted sign-in
/// cookie), what the API said the key may do, the community they work in and the name their work is recorded under.
/// </summary>
public sealed record StaffMember(string Key, string Partner, IReadOnlyList<PartnerRole> Roles, IReadOnlyList<string> Communities, string Community, string RecordedBy)
{
    private const string KeyClaim = "timebank:key";
    private const string CommunityClaim = "timebank:community";
    private const string CommunitiesClaim = "timebank:communities";
    private const string RecordedByClaim = "timebank:recorded-by";

    /// <summary>The role names the console's pages are authorized by (lower case, as the API spells them).</summary>
    public static string RoleName(PartnerRole role) => role.ToString().ToLowerInvariant();

    /// <summary>Whether the key holds one of the roles (an admin holds them all), as the API's access check decides it.</summary>
    public bool Holds(params PartnerRole[] anyOf) => Roles.Contains(PartnerRole.Admin) || anyOf.Any(Roles.Contains);

    public bool CoversAllCommunities => Communities.Contains(PartnerKey.AllCommunities);

    public ClaimsPrincipal ToPrincipal(string scheme)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, Partner),
            new(KeyClaim, Key),
            new(CommunityClaim, Community),
            new(CommunitiesClaim, string.Join(',', Communities)),
            new(RecordedByClaim, RecordedBy),
        };
        // An admin may open every page, as it may call every endpoint of its communities.
        var roles = Roles.Contains(PartnerRole.Admin) ? Enum.GetValues<PartnerRole>() : [.. Roles];
        claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, RoleName(r))));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    public static StaffMember? Of(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true || user.FindFirstValue(KeyClaim) is not { } key) return null;
        var roles = user.FindAll(ClaimTypes.Role).Select(c => Enum.TryParse<PartnerRole>(c.Value, ignoreCase: true, out var r) ? r : (PartnerRole?)null)
            .OfType<PartnerRole>().ToList();
        return new StaffMember(key, user.Identity.Name ?? "", roles, (user.FindFirstValue(CommunitiesClaim) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries),
            user.FindFirstValue(CommunityClaim) ?? "", user.FindFirstValue(RecordedByClaim) ?? "");
    }
}
