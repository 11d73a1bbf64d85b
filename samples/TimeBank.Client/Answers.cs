using System.Text.Json;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Serialization.Json;

namespace TimeBank.Client;

/// <summary>A generated model as the JSON it stands for (a refusal's fields, a problem to print whole).</summary>
public static class Answers
{
    public static JsonElement Of(IParsable? answer)
    {
        if (answer is null) throw new InvalidOperationException("The service answered without a body.");
        using var writer = new JsonSerializationWriter();
        writer.WriteObjectValue(null, answer);
        using var json = JsonDocument.Parse(writer.GetSerializedContent());
        return json.RootElement.Clone();
    }
}
