using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using TimeBank.Api.Audit;

namespace TimeBank.Api.Tests.Audit;

/// <summary>An export checked the way the README tells an auditor to, without the service's code.</summary>
public class EventExportTests
{
    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [Test]
    public async Task an_export_and_its_manifest_verify_with_ordinary_tools()
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var elder = await community.AnElder();
        await community.AService(volunteer.Id, elder.Id, "2026-11-02T09:00:00+08:00", 60);
        await community.AService(volunteer.Id, elder.Id, "2026-11-03T09:00:00+08:00", 45);
        var folder = Path.Combine(Path.GetTempPath(), $"timebank-export-{Guid.NewGuid():N}");
        try
        {
            Assert.That(await AuditCommand.RunAsync(TestHost.Factory.Services, ["export", "--community", community.Code, "--out", folder]), Is.EqualTo(0));
            var bytes = await File.ReadAllBytesAsync(Path.Combine(folder, "events.ndjson"));
            var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "manifest.json")))!;
            var lines = Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries);

            // sha256sum events.ndjson; wc -l events.ndjson
            Assert.That(manifest["file"]!["sha256"]!.GetValue<string>(), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(bytes))));
            Assert.That(manifest["events"]!.GetValue<long>(), Is.EqualTo(lines.Length).And.EqualTo(await community.EventCount()));

            // Each line's hash: its fields joined by '|', the data as written after ,"data": (up to the closing brace).
            var lastOfStream = new Dictionary<string, (long Version, string Hash)>();
            foreach (var line in lines)
            {
                var e = JsonNode.Parse(line)!;
                var data = line[(line.IndexOf(",\"data\":", StringComparison.Ordinal) + 8)..^1];
                string F(string name) => e[name]!.ToString();
                var hashed = string.Join('|', F("previousHash"), F("community"), F("streamId"), F("version"), F("type"), F("timestamp"), F("partnerKey"), F("correlationId"), data);
                Assert.That(Sha256(hashed), Is.EqualTo(F("hash")), $"line of sequence {F("seq")}");

                // Every link follows the one before it in its stream (the first of a stream follows 64 zeros).
                var stream = F("streamId");
                var expected = lastOfStream.TryGetValue(stream, out var before) ? before.Hash : new string('0', 64);
                Assert.That(F("previousHash"), Is.EqualTo(expected));
                lastOfStream[stream] = (e["version"]!.GetValue<long>(), F("hash"));
            }

            var heads = string.Concat(lastOfStream.Select(h => $"{community.Code}|{h.Key}|{h.Value.Version}|{h.Value.Hash}\n").Order(StringComparer.Ordinal));
            Assert.That(manifest["chainHead"]!.GetValue<string>(), Is.EqualTo(Sha256(heads)));
            Assert.That(manifest["firstSequence"]!.GetValue<long>(), Is.EqualTo(JsonNode.Parse(lines[0])!["seq"]!.GetValue<long>()));
            Assert.That(manifest["lastSequence"]!.GetValue<long>(), Is.EqualTo(JsonNode.Parse(lines[^1])!["seq"]!.GetValue<long>()));

            // A range of sequence numbers exports just those.
            var part = Path.Combine(folder, "part");
            var from = manifest["firstSequence"]!.GetValue<long>() + 1;
            await AuditCommand.RunAsync(TestHost.Factory.Services, ["export", "--community", community.Code, "--from-seq", $"{from}", "--to-seq", $"{from + 1}", "--out", part]);
            Assert.That(JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(part, "manifest.json")))!["events"]!.GetValue<long>(), Is.EqualTo(2));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
