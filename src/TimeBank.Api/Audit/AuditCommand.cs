using System.ComponentModel;
using Marten;
using Spectre.Console.Cli;
using TimeBank.Api.Infrastructure;
using TimeBank.Api.Infrastructure.Database;
using TimeBank.Api.Infrastructure.EventStore;

namespace TimeBank.Api.Audit;

/// <summary>
/// <c>audit verify</c>, <c>audit replay</c> and <c>audit export</c> on the service's command line: recompute the
/// event chain and name the first broken link; fold every view again from the log and compare it with the
/// live one (exit code 1 on a break or a difference); write events as NDJSON with a manifest.
/// </summary>
public static class AuditCommand
{
    public class CommunitySettings : CommandSettings
    {
        [CommandOption("--community <CODE>")]
        [Description("Only this community (else every community)")]
        public string? Community { get; init; }
    }

    public sealed class AsOfSettings : CommandSettings
    {
        [CommandOption("--community <CODE>", true)]
        public string Community { get; init; } = "";

        [CommandOption("--volunteer <ID>")]
        [Description("A volunteer's time account and points")]
        public Guid? Volunteer { get; init; }

        [CommandOption("--elder <ID>")]
        [Description("An elder and their care record")]
        public Guid? Elder { get; init; }

        [CommandOption("--sequence <N>")]
        [Description("As of this event sequence number")]
        public long? Sequence { get; init; }

        [CommandOption("--at <TIME>")]
        [Description("As of this time, with its offset (2026-10-01T00:00:00+08:00)")]
        public string? At { get; init; }

        public override Spectre.Console.ValidationResult Validate() =>
            (Volunteer is null) == (Elder is null) ? Spectre.Console.ValidationResult.Error("Give one of --volunteer <id> or --elder <id>.")
            : Sequence is null && At is null ? Spectre.Console.ValidationResult.Error("Give --sequence <n> or --at <time with offset>.")
            : Spectre.Console.ValidationResult.Success();
    }

    public sealed class CheckpointKeySettings : CommandSettings
    {
        [CommandOption("--out <FILE>", true)]
        [Description("Where the new private key is written (readable by its owner only)")]
        public string Out { get; init; } = "";
    }

    public sealed class ExportSettings : CommunitySettings
    {
        [CommandOption("--out <FOLDER>", true)]
        [Description("Where the NDJSON file and its manifest go")]
        public string Out { get; init; } = "";

        [CommandOption("--from-seq <N>")]
        public long? FromSequence { get; init; }

        [CommandOption("--to-seq <N>")]
        public long? ToSequence { get; init; }

        [CommandOption("--from <TIME>")]
        [Description("A time with its offset")]
        public string? From { get; init; }

        [CommandOption("--to <TIME>")]
        [Description("A time with its offset")]
        public string? To { get; init; }
    }

    /// <summary>The audit commands, parsed as on the service's command line (the tests call them so).</summary>
    public static Task<int> RunAsync(IServiceProvider services, string[] args) => CommandLine.RunAsync(["audit", .. args], () => services);

    public static void Register(IConfigurator config, Lazy<IServiceProvider> host) =>
        config.AddBranch("audit", audit =>
        {
            audit.SetDescription("The auditor's tools: verify the event chain, replay the views, read as of a moment, export events");
            audit.AddAsyncDelegate<CommunitySettings>("verify", (_, settings, _) => VerifyAsync(host.Value, settings.Community))
                .WithDescription("Recompute the tamper-evident chain of events; exit 1 and name the first broken link");
            audit.AddAsyncDelegate<CommunitySettings>("replay", (_, settings, _) => WithStore(host.Value, store => ReplayAsync(store, settings.Community)))
                .WithDescription("Fold every view again from the log and compare it with the live one; exit 1 on a difference");
            audit.AddAsyncDelegate<AsOfSettings>("as-of", (_, settings, _) => WithStore(host.Value, store => AsOfAsync(store, host.Value, settings)))
                .WithDescription("A volunteer's account or an elder's care record as it stood at a moment, as JSON");
            audit.AddAsyncDelegate<ExportSettings>("export", (_, settings, _) => WithStore(host.Value, store => ExportAsync(store, settings)))
                .WithDescription("Write events as NDJSON with a manifest");
            audit.AddAsyncDelegate<EmptyCommandSettings>("checkpoint", (_, _, _) => WithStore(host.Value, store =>
                    CheckpointAsync(store, host.Value.GetRequiredService<CheckpointKey>(), host.Value.GetRequiredService<TimeProvider>())))
                .WithDescription("Sign the chain's state now with the checkpoint key kept outside the database");
            audit.AddAsyncDelegate<CheckpointKeySettings>("checkpoint-key", (_, settings, _) => NewCheckpointKeyAsync(settings.Out))
                .WithDescription("Write a new checkpoint signing key to a file and print its public key, for auditors to keep");
        });

    private static async Task<int> WithStore(IServiceProvider services, Func<IDocumentStore, Task<int>> command)
    {
        await DatabaseSchema.ApplyWhenOwnerGivenAsync(services.GetRequiredService<IConfiguration>(), CancellationToken.None);
        return await command(services.GetRequiredService<IDocumentStore>());
    }

    private static Task<int> VerifyAsync(IServiceProvider services, string? community) => WithStore(services, async store =>
    {
        var checkpointKey = services.GetRequiredService<CheckpointKey>();
        var total = await EventLogReader.LastSequenceAsync(store, CancellationToken.None);
        var result = await WorkProgress.RunAsync("Checking the chain", community is null ? total : null,
            progress => EventChain.VerifyAsync(store, checkpointKey, community, WorkProgress.Reporter<long>(progress.Done), CancellationToken.None));
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
    });

    /// <summary>A volunteer's time account and points, or an elder's care record, as they stood at a moment; as JSON, as the API answers.</summary>
    private static async Task<int> AsOfAsync(IDocumentStore store, IServiceProvider services, AsOfSettings settings)
    {
        var community = settings.Community;
        if (AsOf.Read(settings.At, settings.Sequence, out var point) is not null || point is null) return Fail("--at is a time with its offset, e.g. 2026-10-01T00:00:00+08:00.");
        var json = new System.Text.Json.JsonSerializerOptions(
            services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions)
        { WriteIndented = true };
        await using var session = store.QuerySession(community);
        object? answer = null;
        if (settings.Volunteer is { } vid)
        {
            if (await Volunteers.VolunteerHistory.AsOfAsync(session, vid, point, CancellationToken.None) is { } volunteer)
            {
                answer = new { TimeAccount = Volunteers.TimeAccountResponse.From(volunteer), Points = volunteer.Points };
            }
        }
        else if (settings.Elder is { } eid)
        {
            var events = await point.StreamAsync(session, eid, CancellationToken.None);
            if (events.Aggregate((Domain.Elders.Elder?)null, (e, x) => Domain.Elders.Elder.Evolve(e, x.Data)) is { } elder)
            {
                answer = new { Elder = elder, CareRecord = await Elders.ElderCareHistory.RecordAsOfAsync(session, eid, point, CancellationToken.None) };
            }
        }

        if (answer is null) return Fail("Nobody with this id in this community as of then.");
        Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(answer, json));
        return 0;
    }

    private static async Task<int> ReplayAsync(IDocumentStore store, string? community)
    {
        var communities = community is null ? (await EventLogReader.CommunitiesAsync(store, CancellationToken.None)).Count : 1;
        var result = await WorkProgress.RunAsync("Replaying", communities,
            progress =>
            {
                // The replay says what it will do, then one line per community it has finished.
                var begun = false;
                return ProjectionReplay.RunAsync(store, community, WorkProgress.Reporter<string>(line =>
                {
                    if (begun) progress.Step(line);
                    else progress.Say(line);
                    begun = true;
                }), CancellationToken.None);
            });
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

    private static async Task<int> ExportAsync(IDocumentStore store, ExportSettings settings)
    {
        try
        {
            DateTimeOffset? Time(string name, string? text) => text is null ? null
                : Infrastructure.Http.InstantsWithOffset.TryParse(text, out var at) ? at
                : throw new FormatException($"--{name} {text} is not a time with its offset.");
            var range = new ExportRange(settings.Community, settings.FromSequence, settings.ToSequence, Time("from", settings.From), Time("to", settings.To));
            var folder = settings.Out;
            var manifest = await WorkProgress.RunAsync<ExportManifest>("Exporting", null, _ => EventExport.ExportAsync(store, range, folder, CancellationToken.None));
            Console.WriteLine($"Exported {manifest.Events:N0} events (sequence {manifest.FirstSequence}-{manifest.LastSequence}, {manifest.Streams:N0} streams) to {folder}.");
            Console.WriteLine($"{EventExport.EventsFile}: {manifest.File.Bytes:N0} bytes, SHA-256 {manifest.File.Sha256}; chain head {manifest.ChainHead}.");
            return 0;
        }
        catch (FormatException e)
        {
            return Fail($"{e.Message} Times carry their offset, e.g. 2026-10-01T00:00:00+08:00.");
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
    private static async Task<int> NewCheckpointKeyAsync(string file)
    {
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
