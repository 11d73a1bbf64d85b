using System.Text;
using System.Text.Json.Nodes;

namespace TimeBank.Harness;

/// <summary>
/// What a hostile or broken client sends: values for any field (wrong types, numbers at and past the Int32 and
/// Int64 limits, negative and zero, years 1 and 9999, injection strings, unknown enum values, NUL, huge text),
/// bodies that are not JSON (malformed, truncated, invalid UTF-8, nested past any limit), and query values.
/// The test suite sends it through the test host, the chaos run to the service as a separate process.
/// </summary>
public static class HostileCorpus
{
    public static readonly JsonNode?[] Values =
    [
        null, "", "   ", "sixty", 2147483647, 2147483648L, -2147483649L, 9223372036854775807L, JsonNode.Parse("9223372036854775808"), -1, 0, 1.5,
        JsonValue.Create(1e300), true, new JsonArray(), new JsonObject(), "0001-01-01", "9999-12-31", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00",
        "'; drop table timebank.mt_events; --", "<script>alert(1)</script>", "explode", new string('长', 5000), "\u0000", "00000000-0000-0000-0000-000000000000",
    ];

    public static readonly byte[][] NotJson =
    [
        [], "{"u8.ToArray(), "not json"u8.ToArray(), "null"u8.ToArray(), "[]"u8.ToArray(), "123"u8.ToArray(), [0x7B, 0x22, 0x6E, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0x22, 0x7D],
        Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000)), Encoding.UTF8.GetBytes("{\"a\":" + new string('{', 100) + new string('}', 100) + "}"),
    ];

    public static readonly string[] QueryValues =
    [
        "", "abc", "-1", "0", "2147483648", "99999999999999999999", "1e400", "2026-13-45", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59Z",
        "2026-10-01T00:00:00", "'; drop table timebank.mt_events; --", "<script>", "%00", "00000000-0000-0000-0000-000000000000", new string('x', 3000),
    ];

    /// <summary>
    /// Bodies made from a valid example: each field in turn replaced by every hostile value, each field left out,
    /// an unexpected field added, the example cut in half; then every body that is not JSON.
    /// </summary>
    public static IEnumerable<byte[]> BodiesFrom(JsonObject? example)
    {
        if (example is not null)
        {
            foreach (var field in example.Select(p => p.Key).ToList())
            {
                foreach (var value in Values)
                {
                    var body = example.DeepClone().AsObject();
                    body[field] = value?.DeepClone();
                    yield return Encoding.UTF8.GetBytes(body.ToJsonString());
                }

                var without = example.DeepClone().AsObject();
                without.Remove(field);
                yield return Encoding.UTF8.GetBytes(without.ToJsonString());
            }

            var extra = example.DeepClone().AsObject();
            extra["unexpected"] = "field";
            yield return Encoding.UTF8.GetBytes(extra.ToJsonString());
            var whole = Encoding.UTF8.GetBytes(example.ToJsonString());
            yield return whole[..(whole.Length / 2)];
        }

        foreach (var body in NotJson) yield return body;
    }
}
