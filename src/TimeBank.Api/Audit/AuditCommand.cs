using Marten;
using TimeBank.Api.Infrastructure;
using TimeBank.Api.Infrastructure.Database;

namespace TimeBank.Api.Audit;

/// <summary>
/// <c>audit verify</c>, <c>audit replay</c> and <c>audit export</c> on the service's command line: recompute the
/// event chain and name the first broken link; fold every view again from the log and compare it with the
/// live one (exit code 1 on a break or a difference); write events as NDJSON with a manifest.
/// </summary>
public static class AuditCommand
{
    public const string Usage = """
        audit verify [--community <code>]
        audit replay [--community <code>]
        audit as-of --community <code> (--volunteer <id> | --elder <id>) (--sequence <n> | --at <time with offset>)
        audit export --out <folder> [--community <code>] [--from-seq <n>] [--to-seq <n>] [--from <time with offset>] [--to <time with offset>]
        audit checkpoint
        audit checkpoint-key --out <file>
        """;

    public static async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        if (args is not [("verify" or "export" or "replay" or "as-of" or "checkpoint" or "checkpoint-key") and var verb, .. var options] || CommandLine.Flags(options) is not { } flags)
        {
            return Fail(Usage);
        }

        if (verb == "checkpoint-key") return await NewCheckpointKeyAsync(flags);

        await DatabaseSchema.ApplyWhenOwnerGivenAsync(services.GetRequiredService<IConfiguration>(), CancellationToken.None);
        var store = services.GetRequiredService<IDocumentStore>();

        var checkpointKey = services.GetRequiredService<CheckpointKey>();
        if (verb == "checkpoint") return await CheckpointAsync(store, checkpointKey, services.GetRequiredService<TimeProvider>());
        var community = flags.GetValueOrDefault("community");
        if (verb == "export") return await ExportAsync(store, community, flags);
        if (verb == "as-of") return await AsOfAsync(store, services, community, flags);
        if (verb == "replay") return await ReplayAsync(store, community);
        var progress = new Progress<long>(n => Console.WriteLine($"  {n:N0} events checked..."));
        var result = await EventChain.VerifyAsync(store, checkpointKey, community, progress, CancellationToken.None);
        Console.WriteLine(result.LatestCheckpoint is { } latest
            ? $"Checked against checkpoint {latest.Number} (up to sequence {latest.LastSequence}, made {latest.MadeAt:u}, key {latest.KeyId})."
            : "No checkpoint is kept yet: the chain is checked only against itself.");
        if (result.Intact)
        {
            Console.WriteLine($"The chain is intact: {result.EventsChecked:N0} events of {community ?? "every community"} checked.");
            return 0;
        }

        var first = result.First!;
        Console.WriteLine($"The chain is broken: {result.Broken.Count} places among {result.EventsChecked:N0} events. The first:");
        foreach (var link in result.Broken.Take(20))
        {
            Console.WriteLine($"  sequence {link.Sequence} ({link.Community}, stream {link.StreamId}, version {link.Version}): {link.Problem}");
        }

        Console.WriteLine($"First broken link: sequence {first.Sequence}.");
        return 1;
    }

    /// <summary>A volunteer's time account and points, or an elder's care record, as they stood at a moment; as JSON, as the API answers.</summary>
    private static async Task<int> AsOfAsync(IDocumentStore store, IServiceProvider services, string? community, Dictionary<string, string> flags)
    {
        long? sequence = flags.TryGetValue("sequence", out var text) && long.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;
        if (community is null || (sequence is null && !flags.ContainsKey("at"))) return Fail(Usage);
        if (AsOf.Read(flags.GetValueOrDefault("at"), sequence, out var point) is not null || point is null) return Fail($"--at is a time with its offset.{Environment.NewLine}{Usage}");
        var json = new System.Text.Json.JsonSerializerOptions(
            services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions)
        { WriteIndented = true };
        await using var session = store.QuerySession(community);
        object? answer = null;
        if (flags.TryGetValue("volunteer", out var volunteerId) && Guid.TryParse(volunteerId, out var vid))
        {
            if (await Volunteers.GetVolunteerEndpoints.AsOfAsync(session, vid, point, CancellationToken.None) is { } volunteer)
            {
                answer = new { TimeAccount = Volunteers.TimeAccountResponse.From(volunteer), Points = volunteer.Points };
            }
        }
        else if (flags.TryGetValue("elder", out var elderId) && Guid.TryParse(elderId, out var eid))
        {
            var events = await point.StreamAsync(session, eid, CancellationToken.None);
            if (events.Aggregate((Domain.Elders.Elder?)null, (e, x) => Domain.Elders.Elder.Evolve(e, x.Data)) is { } elder)
            {
                answer = new { Elder = elder, CareRecord = await Elders.CareRecordViewEndpoint.RecordAsOfAsync(session, eid, point, CancellationToken.None) };
            }
        }
        else
        {
            return Fail(Usage);
        }

        if (answer is null) return Fail("Nobody with this id in this community as of then.");
        Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(answer, json));
        return 0;
    }

    private static async Task<int> ReplayAsync(IDocumentStore store, string? community)
    {
        var result = await ProjectionReplay.RunAsync(store, community, new Progress<string>(line => Console.WriteLine($"  {line}")), CancellationToken.None);
        Console.WriteLine($"Replayed {result.Events:N0} events of {community ?? "every community"} in {result.Seconds} s.");
        Console.WriteLine($"{"view",-28} {"live",10} {"replayed",10} {"different",10}");
        foreach (var view in result.Views) Console.WriteLine($"{view.View,-28} {view.Live,10:N0} {view.Replayed,10:N0} {view.Differences.Count,10:N0}");
        foreach (var difference in result.Views.SelectMany(v => v.Differences.Select(d => (v.View, d))))
        {
            Console.WriteLine($"  {difference.View} {difference.d.Community}/{difference.d.Id}: {difference.d.Difference}");
        }

        Console.WriteLine(result.Equal ? "Every view equals its replay." : "Some views differ from their replay.");
        return result.Equal ? 0 : 1;
    }

    private static async Task<int> ExportAsync(IDocumentStore store, string? community, Dictionary<string, string> flags)
    {
        if (flags.GetValueOrDefault("out") is not { } folder) return Fail($"Say where: --out <folder>.{Environment.NewLine}{Usage}");
        try
        {
            long? Sequence(string name) => flags.TryGetValue(name, out var text) ? long.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : null;
            DateTimeOffset? Time(string name) => !flags.TryGetValue(name, out var text) ? null
                : Infrastructure.Http.InstantsWithOffset.TryParse(text, out var at) ? at
                : throw new FormatException($"--{name} {text} is not a time with its offset.");
            var range = new ExportRange(community, Sequence("from-seq"), Sequence("to-seq"), Time("from"), Time("to"));
            var manifest = await EventExport.ExportAsync(store, range, folder, CancellationToken.None);
            Console.WriteLine($"Exported {manifest.Events:N0} events (sequence {manifest.FirstSequence}-{manifest.LastSequence}, {manifest.Streams:N0} streams) to {folder}.");
            Console.WriteLine($"{EventExport.EventsFile}: {manifest.File.Bytes:N0} bytes, SHA-256 {manifest.File.Sha256}; chain head {manifest.ChainHead}.");
            return 0;
        }
        catch (FormatException e)
        {
            return Fail($"{e.Message} Times carry their offset, e.g. 2026-10-01T00:00:00+08:00.{Environment.NewLine}{Usage}");
        }
    }

    private static async Task<int> CheckpointAsync(IDocumentStore store, CheckpointKey key, TimeProvider clock)
    {
        if (key.Signer is null) return Fail($"No checkpoint signing key: set {CheckpointKey.FileSetting} or {CheckpointKey.PemSetting}.");
        var checkpoint = await Checkpoints.MakeAsync(store, key, clock, CancellationToken.None);
        if (checkpoint is null)
        {
            Console.WriteLine("Nothing was appended since the last checkpoint.");
            return 0;
        }

        Console.Write(checkpoint.Statement);
        Console.WriteLine($"signature: {checkpoint.Signature}");
        return 0;
    }

    /// <summary>Writes a new signing key (only readable by its owner) and prints its public key, for auditors to keep.</summary>
    private static async Task<int> NewCheckpointKeyAsync(Dictionary<string, string> flags)
    {
        if (flags.GetValueOrDefault("out") is not { } file) return Fail($"Say where: --out <file>.{Environment.NewLine}{Usage}");
        if (File.Exists(file)) return Fail($"{file} exists; a key is never overwritten.");
        await File.WriteAllTextAsync(file, CheckpointKey.NewPrivateKeyPem());
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var key = CheckpointKey.From(new ConfigurationBuilder().AddInMemoryCollection([new(CheckpointKey.FileSetting, file)]).Build());
        Console.Write(key.PublicKeyPem);
        Console.WriteLine($"key id: {key.KeyId}");
        return 0;
    }

    private static int Fail(string message) => CommandLine.Fail(message);
}
