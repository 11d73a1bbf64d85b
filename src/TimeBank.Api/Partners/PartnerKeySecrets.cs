using System.Security.Cryptography;
using System.Text;

namespace TimeBank.Api.Partners;

/// <summary>
/// A key as the partner holds it: <c>tb_{key id}_{secret}</c>, the secret 32 random bytes in URL-safe base64.
/// The service keeps only the SHA-256 of the secret; with 256 random bits a fast hash is enough (there is
/// nothing to guess), and the comparison takes the same time whatever matches.
/// </summary>
public static class PartnerKeySecrets
{
    private const string Prefix = "tb_";

    public static (Guid KeyId, string Key, string SecretHash) NewKey()
    {
        var keyId = Guid.CreateVersion7();
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (keyId, $"{Prefix}{keyId:N}_{secret}", Hash(secret));
    }

    public static bool TryParse(string? key, out Guid keyId, out string secret)
    {
        keyId = Guid.Empty;
        secret = "";
        if (key is null || key.Length != Prefix.Length + 32 + 1 + 43 || !key.StartsWith(Prefix, StringComparison.Ordinal) || key[Prefix.Length + 32] != '_') return false;
        if (!Guid.TryParseExact(key.AsSpan(Prefix.Length, 32), "N", out keyId)) return false;
        secret = key[(Prefix.Length + 33)..];
        return true;
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool Matches(string secret, string secretHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(secretHash));
}
