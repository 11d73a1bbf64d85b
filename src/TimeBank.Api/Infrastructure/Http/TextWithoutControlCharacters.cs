using System.Text.Json;
using System.Text.Json.Serialization;

namespace TimeBank.Api.Infrastructure.Http;

/// <summary>
/// Reads text only without control characters (tab, line breaks allowed): a NUL cannot even be stored in
/// PostgreSQL's JSON, and the others have no place in a name, an address or a note. A refused string is
/// answered like any unreadable value, 400 naming the field.
/// </summary>
public sealed class TextWithoutControlCharacters : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        if (text is not null && text.Any(c => char.IsControl(c) && c is not ('\t' or '\r' or '\n')))
        {
            // No message of our own: the serializer's then names the field's JSON path, which the problem reports.
            throw new JsonException();
        }

        return text;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
