using System.Text.Json;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Serialization.Json;

namespace TimeBank.Client;

// Bridges over what the OpenAPI document does not say yet (README: The contract): many string fields have no
// type, so Kiota makes them UntypedNode, and the answers have no schema (an empty IResult that allows no
// property), so Kiota would drop what the service sent. Code written with these reads and writes the same JSON
// whether the document types a field or not; once it types them all, plain strings and the models' own
// properties (volunteer.Id) take their place and this file goes.

/// <summary>A string for a request field, whether the generated model types it as <c>string</c> or leaves it untyped.</summary>
public readonly struct Text(string value)
{
    public static Text Of(string value) => new(value);

    public static implicit operator string(Text text) => text.Value;

    public static implicit operator UntypedNode(Text text) => new UntypedString(text.Value);

    public string Value { get; } = value;

    public override string ToString() => Value;
}

/// <summary>An answer's JSON as the service sent it, read by the service's own (camelCase) names.</summary>
public static class Answers
{
    /// <summary>The answer as JSON: its model's properties and whatever the model did not declare.</summary>
    public static JsonElement Of(IParsable? answer)
    {
        if (answer is null) throw new InvalidOperationException("The service answered without a body.");
        using var writer = new JsonSerializationWriter();
        // An undescribed answer's model writes nothing of its own: write what was kept of it.
        writer.WriteObjectValue(null, answer is Generated.Models.IResult undescribed ? new Kept(undescribed.AdditionalData) : answer);
        using var json = JsonDocument.Parse(writer.GetSerializedContent());
        return json.RootElement.Clone();
    }

    public static Guid Guid(this JsonElement answer, string name) => answer.GetProperty(name).GetGuid();

    public static int Int(this JsonElement answer, string name) => answer.GetProperty(name).GetInt32();

    public static string String(this JsonElement answer, string name) => answer.GetProperty(name).GetString() ?? "";

    public static IReadOnlyList<JsonElement> Items(this JsonElement answer, string name) => [.. answer.GetProperty(name).EnumerateArray()];

    private sealed class Kept(IDictionary<string, object> fields) : IParsable
    {
        public IDictionary<string, Action<IParseNode>> GetFieldDeserializers() => new Dictionary<string, Action<IParseNode>>();

        public void Serialize(ISerializationWriter writer) => writer.WriteAdditionalData(fields);
    }
}
