using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TimeBank.Api.Infrastructure.Http;

/// <summary>
/// Reads a moment only when it says its offset (<c>2026-11-22T09:00:00+08:00</c> or <c>…Z</c>): a time without
/// one would otherwise be read in the server's zone, which is not the community's. Writes ISO 8601 with offset.
/// </summary>
public sealed class InstantsWithOffset : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (!TryParse(reader.TokenType == JsonTokenType.String ? reader.GetString() : null, out var instant))
        {
            // No message of our own: the serializer's then names the field's JSON path, which the problem reports.
            throw new JsonException();
        }

        return instant;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString("O", CultureInfo.InvariantCulture));

    /// <summary>The one way a moment is read from a client, in JSON, a query or the command line: only with its offset.</summary>
    public static bool TryParse(string? text, out DateTimeOffset instant)
    {
        instant = default;
        return text is not null && HasOffset(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out instant);
    }

    /// <summary>
    /// Reads an optional time from a query value: none when it is absent, else the time; the 400 naming the
    /// field when it does not say its offset.
    /// </summary>
    public static ProblemHttpResult? ReadQuery(string? text, string field, out DateTimeOffset? instant)
    {
        instant = null;
        if (text is null) return null;
        if (!TryParse(text, out var parsed)) return ProblemResponses.Validation(field, "Send a time with its offset, e.g. 2026-10-01T00:00:00Z.");
        instant = parsed;
        return null;
    }

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
}
