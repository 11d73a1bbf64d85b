using System.Text.Json;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using TimeBank.Client;
using TimeBank.Client.Generated;
using TimeBank.Client.Generated.Api.V1.Communities.Item;
using TimeBank.Client.Generated.Models;

namespace TimeBank.Samples.SampleCommunity;

/// <summary>
/// Loads the sample plan through the REST API as a partner would, with the client generated from the OpenAPI
/// document: registers the community and its grid workers, enrols volunteers, registers elders, pairs each
/// elder with a neighbouring volunteer, then records the six-ones rhythm from a first day until now: a greeting
/// every day, a home visit every week, a professional service every month, each quarter's alliance activity,
/// an activity at each festival (the service says when they fall) and a visit on each birthday.
/// <para>
/// It loads what is missing, not only a community that is missing, so a load cut off halfway is finished by the
/// next one (and a later one adds the days since): it reads what the ledger holds first (the elders in the order
/// they were registered, the volunteers by their external reference, the pairings on the elders, the services
/// each volunteer has recorded), and every write it sends carries an idempotency key made from the plan, and
/// every service an id made from the plan, so a write whose answer was lost answers its first result when sent
/// again rather than landing twice. (Lists show what was created once the store's high-water mark has passed
/// it, normally within a second: a load started right after another may find less listed than there is, and
/// then sends those writes again under their keys.)
/// </para>
/// </summary>
public sealed class SampleCommunityLoader(TimeBankApiClient client, TextWriter output)
{
    private const string Recorder = "sample-loader";
    private const string IdempotencyKey = "Idempotency-Key";
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    /// <summary>The first day of the last closed quarter: the sample then holds a whole closed quarter and the current one to date.</summary>
    public static DateOnly FirstDayOfLastQuarter(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.ToOffset(Shanghai).DateTime);
        return new DateOnly(today.Year, (((today.Month - 1) / 3) * 3) + 1, 1).AddMonths(-3);
    }

    /// <summary>Loads the last <paramref name="days"/> days up to <paramref name="now"/> (today is the last).</summary>
    public Task<bool> LoadAsync(string code, int days, DateTimeOffset now, string? county = null, CancellationToken cancellation = default) =>
        LoadAsync(code, DateOnly.FromDateTime(now.ToOffset(Shanghai).DateTime).AddDays(1 - days), now, county, cancellation);

    /// <summary>
    /// Loads whatever of the plan from <paramref name="firstDay"/> to <paramref name="now"/> the community does not
    /// hold yet (a community loaded before keeps the first day it was loaded from). True when anything was written.
    /// </summary>
    public async Task<bool> LoadAsync(string code, DateOnly firstDay, DateTimeOffset now, string? county = null, CancellationToken cancellation = default)
    {
        var community = client.Api.V1.Communities[code];
        var plan = new SampleCommunityPlan();
        var written = 0;

        // A write of the plan, under its idempotency key: counted unless it answers a first write made before.
        async Task<T> Write<T>(string write, Func<Action<RequestConfiguration<DefaultQueryParameters>>, Task<T?>> post)
            where T : class
        {
            var headers = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
            var answer = await post(r =>
            {
                r.Headers.Add(IdempotencyKey, Key(code, write));
                r.Options.Add(headers);
            });
            if (!headers.ResponseHeaders.Keys.Any(h => string.Equals(h, "Idempotent-Replayed", StringComparison.OrdinalIgnoreCase))) written++;
            return answer ?? throw new InvalidOperationException($"The service answered nothing to {write}.");
        }

        try
        {
            await community.GetAsync(cancellationToken: cancellation);
        }
        catch (Problem problem) when (problem.ResponseStatusCode == 404)
        {
            await Write("community", r => client.Api.V1.Communities.PostAsync(
                new RegisterCommunity { Code = code, Name = "民乐社区", TimeZone = "Asia/Shanghai", County = county, RecordedBy = Recorder }, r, cancellation));
        }

        // What is there: elders in the order they were registered (the plan's order), volunteers by the plan's reference.
        var elders = await AllAsync(after => community.Elders.GetAsync(r => { r.QueryParameters.After = after; r.QueryParameters.Limit = 500; }, cancellation), p => (p!.Items!, p.NextAfter));
        var volunteers = (await AllAsync(after => community.Volunteers.GetAsync(r => { r.QueryParameters.After = after; r.QueryParameters.Limit = 500; }, cancellation), p => (p!.Items!, p.NextAfter)))
            .Where(v => v.ExternalReference?.StartsWith(ReferencePrefix, StringComparison.Ordinal) == true)
            .ToDictionary(v => int.Parse(v.ExternalReference![ReferencePrefix.Length..], System.Globalization.CultureInfo.InvariantCulture));
        if (elders.Count > plan.Elders.Count) throw new InvalidOperationException($"The community '{code}' holds {elders.Count} elders, more than the sample's {plan.Elders.Count}: it is not the sample.");
        // A community loaded before keeps its first day: its volunteers were enrolled 30 days before it.
        if (volunteers.Count > 0) firstDay = DateOnly.FromDateTime(volunteers.Values.Min(v => v.EnrolledOn!.Value.DateTime)).AddDays(30);
        var days = DateOnly.FromDateTime(now.ToOffset(Shanghai).DateTime).DayNumber - firstDay.DayNumber + 1;

        var gridWorkerIds = new Guid?[plan.GridWorkers.Count];
        foreach (var (elder, i) in elders.Select((e, i) => (e, i))) gridWorkerIds[plan.Elders[i].GridWorker] ??= elder.GridWorkerId;
        var elderIds = elders.Select(e => e.Id!.Value).ToList();
        var paired = elders.Where(e => e.Pairing is not null).Select(e => e.Id!.Value).ToHashSet();
        foreach (var elder in plan.Elders.Skip(elders.Count))
        {
            if (gridWorkerIds[elder.GridWorker] is null)
            {
                var gridWorker = plan.GridWorkers[elder.GridWorker];
                var body = new RegisterGridWorker { Name = gridWorker.Name, Phone = gridWorker.Phone, Block = gridWorker.Block, RecordedBy = Recorder };
                gridWorkerIds[elder.GridWorker] = (await Write($"grid-worker-{elder.GridWorker}", r => community.GridWorkers.PostAsync(body, r, cancellation))).Id!.Value;
            }

            var registered = new RegisterElder
            {
                Name = elder.Name,
                CareCategory = Enum.Parse<CareCategory>(elder.CareCategory.Replace("-", ""), ignoreCase: true),
                Address = elder.Address,
                Compound = elder.Compound,
                BirthDate = DateOf(elder.BirthDate),
                GridWorkerId = gridWorkerIds[elder.GridWorker],
                RecordedBy = Recorder,
            };
            elderIds.Add((await Write($"elder-{elder.Number}", r => community.Elders.PostAsync(registered, r, cancellation))).Id!.Value);
        }

        var festivals = await FestivalDaysAsync(community, firstDay, firstDay.AddDays(days - 1), cancellation);
        var toRecord = new List<RecordService>();
        var recorded = 0;
        foreach (var volunteer in plan.Volunteers)
        {
            Guid volunteerId;
            if (volunteers.TryGetValue(volunteer.Number, out var enrolled))
            {
                volunteerId = enrolled.Id!.Value;
            }
            else
            {
                var body = new EnrolVolunteer
                {
                    Name = volunteer.Name,
                    Phone = volunteer.Phone,
                    Team = volunteer.Team,
                    EnrolledOn = DateOf(firstDay.AddDays(-30)),
                    ExternalReference = ReferencePrefix + volunteer.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    RecordedBy = Recorder,
                };
                volunteerId = (await Write($"volunteer-{volunteer.Number}", r => community.Volunteers.PostAsync(body, r, cancellation))).Id!.Value;
            }

            foreach (var elder in volunteer.ElderNumbers.Where(e => !paired.Contains(elderIds[e])))
            {
                var pairing = new PairElder { VolunteerId = volunteerId, ElderId = elderIds[elder], Basis = PairingBasis.Proximity, StartedOn = DateOf(firstDay.AddDays(-30)), RecordedBy = Recorder };
                await Write($"pairing-{elder}", r => community.Pairings.PostAsync(pairing, r, cancellation));
            }

            // Each volunteer's services go in the order they happened, in calls taken one after the other, each
            // all or nothing: what is recorded of them is always the first so many.
            var rhythm = RhythmOf(code, volunteer, volunteerId, elderIds, plan, festivals, firstDay, days, now).OrderBy(s => s.StartedAt).ToList();
            var already = enrolled is null ? 0 : (await community.Volunteers[volunteerId].TimeAccount.GetAsync(cancellationToken: cancellation))!.ServicesRecorded ?? 0;
            recorded += Math.Min(already, rhythm.Count);
            toRecord.AddRange(rhythm.Skip(already));
        }

        // As a partner's nightly sync would: many records a call.
        foreach (var batch in toRecord.Chunk(BatchSize))
        {
            var result = (await community.Services.Batch.PostAsync(new RecordServices { Records = [.. batch] }, cancellationToken: cancellation))!;
            if (result.Refused > 0)
            {
                var first = result.Outcomes!.First(o => o.Outcome == RecordOutcomeKind.Refused);
                throw new InvalidOperationException($"{result.Refused} of {batch.Length} services were refused, the first (#{first.Index}) as {first.Code}.");
            }

            written += result.Recorded ?? 0;
        }

        var services = recorded + toRecord.Count;
        output.WriteLine(written == 0
            ? $"The community '{code}' already holds the sample up to now; nothing loaded."
            : $"Loaded '{code}': {plan.Volunteers.Count} volunteers, {plan.Elders.Count} elders, {services} services from {firstDay:yyyy-MM-dd} ({days} days); {written} writes this time.");
        return written > 0;
    }

    private const string ReferencePrefix = "sample-volunteer-";

    /// <summary>The idempotency key of one write of the plan: the same write sent again answers its first result.</summary>
    private static string Key(string code, string write) => $"sample-{code}-{write}";

    /// <summary>Every item of a paged list, page by page.</summary>
    private static async Task<List<T>> AllAsync<TPage, T>(Func<long?, Task<TPage?>> page, Func<TPage?, (List<T> Items, long? Next)> read)
    {
        var all = new List<T>();
        long? after = null;
        do
        {
            var (items, next) = read(await page(after));
            all.AddRange(items);
            after = next;
        }
        while (after is not null);
        return all;
    }

    /// <summary>
    /// One volunteer's services, spaced so that none overlap: for each paired elder a ten-minute greeting
    /// every morning (08:00, 08:20), an hour's visit on one weekday (14:00, 15:30), an hour's professional
    /// service on one day of each month (16:30, 17:40), a 45-minute birthday visit (19:00, 20:00); on the 15th
    /// of each quarter's middle month, a two-hour alliance activity (09:30) with all their elders at once, and
    /// the same for an hour and a half at noon on each festival. Each has an id made from the plan.
    /// </summary>
    private static IEnumerable<RecordService> RhythmOf(
        string code, SampleVolunteer volunteer, Guid volunteerId, IReadOnlyList<Guid> elderIds, SampleCommunityPlan plan, IReadOnlySet<DateOnly> festivals, DateOnly firstDay, int days, DateTimeOffset now)
    {
        DateTimeOffset At(DateOnly day, int hour, int minute) => new(day.ToDateTime(new TimeOnly(hour, minute)), Shanghai);
        RecordService Service(Guid[] elders, string serviceType, DateTimeOffset startedAt, int minutes) =>
            new()
            {
                ServiceId = ServiceIdOf(code, volunteer.Number, serviceType, startedAt),
                VolunteerId = volunteerId,
                ElderIds = [.. elders.Select(id => (Guid?)id)],
                ServiceType = serviceType,
                StartedAt = startedAt,
                Minutes = minutes,
                RecordedBy = Recorder,
            };

        for (var d = 0; d < days; d++)
        {
            var day = firstDay.AddDays(d);
            for (var i = 0; i < volunteer.ElderNumbers.Count; i++)
            {
                var number = volunteer.ElderNumbers[i];
                var elderId = elderIds[number];
                var greeting = At(day, 8, 0).AddMinutes(20 * i);
                if (greeting <= now) yield return Service([elderId], "greeting-call", greeting, 10);

                var visit = At(day, 14, 0).AddMinutes(90 * i);
                if (number % 7 == (int)day.DayOfWeek && visit <= now) yield return Service([elderId], "home-visit", visit, 60);

                var monthly = At(day, 16, 30).AddMinutes(70 * i);
                var monthlyType = number % 2 == 0 ? "haircut-shave" : "cleaning-laundry";
                if ((number % 28) + 1 == day.Day && monthly <= now) yield return Service([elderId], monthlyType, monthly, 60);

                var birthday = At(day, 19, 0).AddMinutes(60 * i);
                var born = plan.Elders[number].BirthDate;
                if (born.Month == day.Month && born.Day == day.Day && birthday <= now) yield return Service([elderId], "birthday-visit", birthday, 45);
            }

            var festival = At(day, 12, 0);
            if (festivals.Contains(day) && volunteer.ElderNumbers.Count > 0 && festival <= now)
            {
                yield return Service([.. volunteer.ElderNumbers.Select(n => elderIds[n])], "festival-activity", festival, 90);
            }

            var alliance = At(day, 9, 30);
            if (day.Month % 3 == 2 && day.Day == 15 && volunteer.ElderNumbers.Count > 0 && alliance <= now)
            {
                yield return Service([.. volunteer.ElderNumbers.Select(n => elderIds[n])], "alliance-activity", alliance, 120);
            }
        }
    }

    /// <summary>
    /// The festival days between two dates. The document does not describe this answer (an array) yet, so the
    /// generated request is sent and its JSON read as it comes; once it does, the generated list takes its place.
    /// </summary>
    private static async Task<IReadOnlySet<DateOnly>> FestivalDaysAsync(WithCommunityItemRequestBuilder community, DateOnly from, DateOnly to, CancellationToken cancellation)
    {
        // Kiota's way to the raw answer: a response handler that keeps the HTTP response as it came.
        var raw = new NativeResponseHandler();
        await community.Care.Festivals.GetAsync(
            r =>
            {
                r.QueryParameters.From = DateOf(from);
                r.QueryParameters.To = DateOf(to);
                r.Options.Add(new ResponseHandlerOption { ResponseHandler = raw });
            },
            cancellation);
        using var response = (HttpResponseMessage)raw.Value!;
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"The festival days answered {(int)response.StatusCode}.");
        await using var body = await response.Content.ReadAsStreamAsync(cancellation);
        using var festivals = await JsonDocument.ParseAsync(body, cancellationToken: cancellation);
        return festivals.RootElement.EnumerateArray().Select(f => DateOnly.Parse(f.GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
    }

    private const int BatchSize = 2000;

    /// <summary>A service's id made from what it is in the plan (a volunteer does one service of a type at a time).</summary>
    private static Guid ServiceIdOf(string code, int volunteer, string serviceType, DateTimeOffset startedAt)
    {
        var name = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"sample|{code}|{volunteer}|{serviceType}|{startedAt.UtcTicks}");
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name));
        // Shaped as a name-based (version 8, RFC 9562) id.
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    private static Date DateOf(DateOnly day) => new(day.Year, day.Month, day.Day);
}
