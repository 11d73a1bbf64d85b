using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TimeBank.Api.Infrastructure.Http;

/// <summary>
/// Reads and writes every enum as exactly its kebab-case name (<c>elder-moved-away</c>), the one spelling the
/// document names. The framework's string enum converter also reads the C# name in any letter case
/// (<c>ElderMovedAway</c>, <c>eldermovedaway</c>) and numbers, so the service would accept requests its own
/// document refuses, and a partner's gateway and the service would disagree. Unknown text is refused like any
/// unreadable value: 400 naming the field.
/// </summary>
public sealed class KebabCaseEnums : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(KebabCaseEnum<>).MakeGenericType(typeToConvert))!;

    /// <summary>The names the document lists for an enum, in declaration order.</summary>
    public static IReadOnlyList<string> NamesOf(Type enumType) =>
        Enum.GetNames(enumType).Select(JsonNamingPolicy.KebabCaseLower.ConvertName).ToList();

    private sealed class KebabCaseEnum<TEnum> : JsonConverter<TEnum>
        where TEnum : struct, Enum
    {
        private static readonly FrozenDictionary<string, TEnum> ByName =
            Enum.GetValues<TEnum>().ToFrozenDictionary(value => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString()), StringComparer.Ordinal);

        private static readonly FrozenDictionary<TEnum, string> NameOf = ByName.ToFrozenDictionary(pair => pair.Value, pair => pair.Key);

        public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            // No message of our own: the serializer's then names the field's JSON path, which the problem reports.
            if (reader.TokenType != JsonTokenType.String || !ByName.TryGetValue(reader.GetString()!, out var value)) throw new JsonException();
            return value;
        }

        public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
            writer.WriteStringValue(NameOf.TryGetValue(value, out var name) ? name : throw new JsonException($"{value} has no name to be written."));

        public override TEnum ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            ByName.TryGetValue(reader.GetString()!, out var value) ? value : throw new JsonException();

        public override void WriteAsPropertyName(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
            writer.WritePropertyName(NameOf[value]);
    }
}
