using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace TimeBank.Domain.Communities;

/// <summary>
/// A community's code (e.g. <c>minle</c>): lowercase letters, digits and hyphens. It names the community in
/// every URL and is the tenant id under which all of the community's records are kept.
/// </summary>
public static partial class CommunityCode
{
    public const int MaxLength = 32;

    public static bool IsValid(string? code) => code is not null && Pattern().IsMatch(code);

    /// <summary>
    /// The id of a community's own event stream, derived from its code so that registering the same code
    /// twice collides on the stream instead of creating a second community.
    /// </summary>
    public static Guid StreamId(string code)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("timebank:community:" + code));
        return new Guid(hash.AsSpan(0, 16));
    }

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
