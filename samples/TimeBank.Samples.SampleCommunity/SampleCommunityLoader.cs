using System.Text.Json;
using Microsoft.Kiota.Abstractions;
using TimeBank.Client;
using TimeBank.Client.Generated;
using TimeBank.Client.Generated.Api.V1.Communities.Item;
using TimeBank.Client.Generated.Models;

namespace TimeBank.Samples.SampleCommunity;

/// <summary>
/// Loads the sample plan through the REST API as a partner would, with the client generated from the OpenAPI
/// document: registers the community and its grid workers, enrols volunteers, registers elders, pairs each
/// elder with a neighbouring volunteer, then records the six-ones rhythm of the last days: a greeting every
/// day, a home visit every week, a professional service every month, the quarter's alliance activity, an
/// activity at each festival (the service says when they fall) and a visit on each birthday. Does nothing
/// when the community already exists.
/// </summary>
public sealed class SampleCommunityLoader(TimeBankApiClient client, TextWriter output)
{
    private const string Recorder = "sample-loader";
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    /// <param name="county">The county the community belongs to, when it is read together with others.</param>
    public async Task<bool> LoadAsync(string code, int days, DateTimeOffset now, string? county = null, CancellationToken cancellation = default)
    {
        var community = client.Api.V1.Communities[code];
        try
        {
            await community.GetAsync(cancellationToken: cancellation);
            output.WriteLine($"The community '{code}' is already there; nothing loaded.");
            return false;
        }
        catch (Problem problem) when (problem.ResponseStatusCode == 404)
        {
            // Not there yet: load it.
        }

        var plan = new SampleCommunityPlan();
        await client.Api.V1.Communities.PostAsync(
            new RegisterCommunity { Code = code, Name = "民乐社区", TimeZone = "Asia/Shanghai", County = county is null ? null : county, RecordedBy = Recorder },
            cancellationToken: cancellation);

        var firstDay = DateOnly.FromDateTime(now.ToOffset(Shanghai).DateTime).AddDays(1 - days);
        var gridWorkerIds = new List<Guid>();
        foreach (var gridWorker in plan.GridWorkers)
        {
            var body = new RegisterGridWorker { Name = gridWorker.Name, Phone = gridWorker.Phone, Block = gridWorker.Block, RecordedBy = Recorder };
            gridWorkerIds.Add((await community.GridWorkers.PostAsync(body, cancellationToken: cancellation))!.Id!.Value);
        }

        var elderIds = new Guid[plan.Elders.Count];
        foreach (var elder in plan.Elders)
        {
            var body = new RegisterElder
            {
                Name = elder.Name,
                CareCategory = Enum.Parse<CareCategory>(elder.CareCategory.Replace("-", ""), ignoreCase: true),
                Address = elder.Address,
                Compound = elder.Compound,
                BirthDate = DateOf(elder.BirthDate),
                GridWorkerId = gridWorkerIds[elder.GridWorker],
                RecordedBy = Recorder,
            };
            elderIds[elder.Number] = (await community.Elders.PostAsync(body, cancellationToken: cancellation))!.Id!.Value;
        }

        var festivals = await FestivalDaysAsync(community, firstDay, firstDay.AddDays(days - 1), cancellation);
        var servicesByVolunteer = new List<List<RecordService>>();
        foreach (var volunteer in plan.Volunteers)
        {
            var body = new EnrolVolunteer
            {
                Name = volunteer.Name,
                Phone = volunteer.Phone,
                Team = volunteer.Team,
                EnrolledOn = DateOf(firstDay.AddDays(-30)),
                RecordedBy = Recorder,
            };
            var volunteerId = (await community.Volunteers.PostAsync(body, cancellationToken: cancellation))!.Id!.Value;
            foreach (var elder in volunteer.ElderNumbers)
            {
                var pairing = new PairElder { VolunteerId = volunteerId, ElderId = elderIds[elder], Basis = PairingBasis.Proximity, StartedOn = DateOf(firstDay.AddDays(-30)), RecordedBy = Recorder };
                await community.Pairings.PostAsync(pairing, cancellationToken: cancellation);
            }

            servicesByVolunteer.Add(RhythmOf(volunteer, volunteerId, elderIds, plan, festivals, firstDay, days, now).ToList());
        }

        // As a partner's nightly sync would: many records a call, each volunteer's in the order they happened.
        foreach (var batch in servicesByVolunteer.SelectMany(s => s).Chunk(BatchSize))
        {
            var result = (await community.Services.Batch.PostAsync(new RecordServices { Records = [.. batch] }, cancellationToken: cancellation))!;
            if (result.Refused > 0)
            {
                var first = result.Outcomes!.First(o => o.Outcome == RecordOutcomeKind.Refused);
                throw new InvalidOperationException($"{result.Refused} of {batch.Length} services were refused, the first (#{first.Index}) as {first.Code}.");
            }
        }

        var count = servicesByVolunteer.Sum(s => s.Count);
        output.WriteLine($"Loaded '{code}': {plan.Volunteers.Count} volunteers, {plan.Elders.Count} elders, {count} services over {days} days.");
        return true;
    }

    /// <summary>
    /// One volunteer's services, spaced so that none overlap: for each paired elder a ten-minute greeting
    /// every morning (08:00, 08:20), an hour's visit on one weekday (14:00, 15:30), an hour's professional
    /// service on one day of each month (16:30, 17:40), a 45-minute birthday visit (19:00, 20:00); halfway
    /// through, a two-hour alliance activity (09:30) with all their elders at once, and the same for an
    /// hour and a half at noon on each festival.
    /// </summary>
    private static IEnumerable<RecordService> RhythmOf(
        SampleVolunteer volunteer, Guid volunteerId, Guid[] elderIds, SampleCommunityPlan plan, IReadOnlySet<DateOnly> festivals, DateOnly firstDay, int days, DateTimeOffset now)
    {
        DateTimeOffset At(DateOnly day, int hour, int minute) => new(day.ToDateTime(new TimeOnly(hour, minute)), Shanghai);

        for (var d = 0; d < days; d++)
        {
            var day = firstDay.AddDays(d);
            for (var i = 0; i < volunteer.ElderNumbers.Count; i++)
            {
                var number = volunteer.ElderNumbers[i];
                var elderId = elderIds[number];
                var greeting = At(day, 8, 0).AddMinutes(20 * i);
                if (greeting <= now) yield return Service(volunteerId, [elderId], "greeting-call", greeting, 10);

                var visit = At(day, 14, 0).AddMinutes(90 * i);
                if (number % 7 == (int)day.DayOfWeek && visit <= now) yield return Service(volunteerId, [elderId], "home-visit", visit, 60);

                var monthly = At(day, 16, 30).AddMinutes(70 * i);
                var monthlyType = number % 2 == 0 ? "haircut-shave" : "cleaning-laundry";
                if ((number % 28) + 1 == day.Day && monthly <= now) yield return Service(volunteerId, [elderId], monthlyType, monthly, 60);

                var birthday = At(day, 19, 0).AddMinutes(60 * i);
                var born = plan.Elders[number].BirthDate;
                if (born.Month == day.Month && born.Day == day.Day && birthday <= now) yield return Service(volunteerId, [elderId], "birthday-visit", birthday, 45);
            }

            var festival = At(day, 12, 0);
            if (festivals.Contains(day) && volunteer.ElderNumbers.Count > 0 && festival <= now)
            {
                yield return Service(volunteerId, [.. volunteer.ElderNumbers.Select(n => elderIds[n])], "festival-activity", festival, 90);
            }

            var alliance = At(day, 9, 30);
            if (d == days / 2 && volunteer.ElderNumbers.Count > 0 && alliance <= now)
            {
                yield return Service(volunteerId, [.. volunteer.ElderNumbers.Select(n => elderIds[n])], "alliance-activity", alliance, 120);
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

    private static RecordService Service(Guid volunteerId, Guid[] elderIds, string serviceType, DateTimeOffset startedAt, int minutes) =>
        new() { VolunteerId = volunteerId, ElderIds = [.. elderIds.Select(id => (Guid?)id)], ServiceType = serviceType, StartedAt = startedAt, Minutes = minutes, RecordedBy = Recorder };

    private static Date DateOf(DateOnly day) => new(day.Year, day.Month, day.Day);
}
