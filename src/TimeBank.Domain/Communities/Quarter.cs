using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TimeBank.Domain.Communities;

/// <summary>
/// A calendar quarter, written <c>2026Q1</c> (in JSON too); its days are counted in the community's time zone.
/// </summary>
[JsonConverter(typeof(QuarterJsonConverter))]
public readonly record struct Quarter(int Year, int Number) : IComparable<Quarter>
{
    public static Quarter Containing(DateOnly day) => new(day.Year, ((day.Month - 1) / 3) + 1);

    public DateOnly FirstDay => new(Year, ((Number - 1) * 3) + 1, 1);

    public DateOnly LastDay => Next.FirstDay.AddDays(-1);

    public Quarter Next => Number == 4 ? new Quarter(Year + 1, 1) : new Quarter(Year, Number + 1);

    public Quarter Previous => Number == 1 ? new Quarter(Year - 1, 4) : new Quarter(Year, Number - 1);

    public bool Contains(DateOnly day) => day >= FirstDay && day <= LastDay;

    /// <summary>The quarter <paramref name="quarters"/> after this one (before it, when negative).</summary>
    public Quarter Plus(int quarters)
    {
        var index = (Year * 4) + Number - 1 + quarters;
        return new Quarter(index / 4, (index % 4) + 1);
    }

    public static bool TryParse(string? text, out Quarter quarter)
    {
        quarter = default;
        if (text is not { Length: 6 } || char.ToUpperInvariant(text[4]) != 'Q') return false;
        if (!int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)) return false;
        var number = text[5] - '0';
        if (year < 1 || number is < 1 or > 4) return false;
        quarter = new Quarter(year, number);
        return true;
    }

    public int CompareTo(Quarter other) => (Year, Number).CompareTo((other.Year, other.Number));

    public override string ToString() => $"{Year:D4}Q{Number}";
}

/// <summary>Writes and reads a quarter as its text, <c>"2026Q1"</c>.</summary>
public sealed class QuarterJsonConverter : JsonConverter<Quarter>
{
    public override Quarter Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && Quarter.TryParse(reader.GetString(), out var quarter)
            ? quarter
            : throw new JsonException("A quarter is written like \"2026Q1\".");

    public override void Write(Utf8JsonWriter writer, Quarter value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
