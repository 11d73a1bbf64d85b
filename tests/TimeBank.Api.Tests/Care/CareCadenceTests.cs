using Marten.Events;
using TimeBank.Api.Care;
using TimeBank.Api.Elders;
using TimeBank.Api.Pairings;
using TimeBank.Domain.Care;
using TimeBank.Domain.Pairings;

namespace TimeBank.Api.Tests.Care;

/// <summary>
/// A scripted four weeks of care (Monday 26 October to Sunday 22 November 2026; today is Monday
/// 23 November, 10:00 in Shanghai) for three pairings, with the expected answers worked out by hand.
/// </summary>
public class CareCadenceTests
{
    private TestCommunity _community = null!;
    private Guid _kept, _lapsed, _new, _keeper, _lapser;

    [OneTimeSetUp]
    public async Task ScriptAMonth()
    {
        _community = await Given.ACommunity();
        _keeper = (await _community.AVolunteer()).Id;
        _lapser = (await _community.AVolunteer(team: "night-watch")).Id;
        _kept = (await _community.AnElder("living-alone")).Id;
        _lapsed = (await _community.AnElder("disabled")).Id;
        _new = (await _community.AnElder("poor")).Id;
        await PairSince(_keeper, _kept, "2026-10-26");
        await PairSince(_lapser, _lapsed, "2026-10-26");
        await PairSince(_keeper, _new, "2026-11-18");

        // Kept: a greeting every day, a visit every week, a haircut in November.
        for (var day = new DateOnly(2026, 10, 26); day <= new DateOnly(2026, 11, 22); day = day.AddDays(1))
        {
            await _community.AService(_keeper, _kept, $"{day:yyyy-MM-dd}T08:00:00+08:00", 10, "greeting-call");
        }

        foreach (var visit in new[] { "2026-10-28", "2026-11-04", "2026-11-11", "2026-11-18" })
        {
            await _community.AService(_keeper, _kept, $"{visit}T15:00:00+08:00", 60);
        }

        await _community.AService(_keeper, _kept, "2026-11-10T10:00:00+08:00", 30, "haircut-shave");

        // Lapsed: greetings until 15 November, visits in the first two weeks only, no service this month.
        for (var day = new DateOnly(2026, 10, 26); day <= new DateOnly(2026, 11, 15); day = day.AddDays(1))
        {
            await _community.AService(_lapser, _lapsed, $"{day:yyyy-MM-dd}T09:00:00+08:00", 10, "greeting-call");
        }

        await _community.AService(_lapser, _lapsed, "2026-10-27T15:00:00+08:00", 60);
        await _community.AService(_lapser, _lapsed, "2026-11-05T15:00:00+08:00", 60);

        // New (paired on Wednesday 18 November): one greeting, on the 20th.
        await _community.AService(_keeper, _new, "2026-11-20T09:00:00+08:00", 10, "greeting-call");

        await TestHost.Factory.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
    }

    private async Task PairSince(Guid volunteerId, Guid elderId, string startedOn) =>
        Assert.That((await _community.Http.PostAsJsonAsync(_community.Url("/pairings"),
            new { volunteerId, elderId, basis = "proximity", startedOn, recordedBy = "grid-01" })).StatusCode, Is.EqualTo(HttpStatusCode.Created));

    private async Task<T> Get<T>(string path) => (await _community.Http.GetFromJsonAsync<T>(_community.Url(path), Json.Options))!;

    [Test]
    public async Task the_overdue_list_names_who_waited_longest_first_with_each_rhythm_missed_since_when()
    {
        var overdue = await Get<OverdueResponse>("/care/overdue");

        Assert.That(overdue.Today, Is.EqualTo(new DateOnly(2026, 11, 23)));
        // Lapsed waits for November's service since 1 November; New for a greeting since the 21st; Kept only
        // for today's greeting and this week's visit.
        Assert.That(overdue.Elders.Select(e => (e.ElderId, e.WaitingSince)), Is.EqualTo(new[]
        {
            (_lapsed, new DateOnly(2026, 11, 1)),
            (_new, new DateOnly(2026, 11, 21)),
            (_kept, new DateOnly(2026, 11, 23)),
        }));

        var lapsed = overdue.Elders[0].Overdue.ToDictionary(s => s.Rhythm);
        Assert.Multiple(() =>
        {
            // Greeted last on the 15th: the 16th to the 22nd missed (7 days), today due.
            Assert.That((lapsed[Rhythm.DailyGreeting].State, lapsed[Rhythm.DailyGreeting].MissedSince, lapsed[Rhythm.DailyGreeting].WholePeriodsMissed),
                Is.EqualTo((RhythmState.Missed, (DateOnly?)new DateOnly(2026, 11, 16), 7)));
            // Visited last in the week of 2 November: the weeks of the 9th and 16th missed.
            Assert.That((lapsed[Rhythm.WeeklyVisit].State, lapsed[Rhythm.WeeklyVisit].MissedSince, lapsed[Rhythm.WeeklyVisit].WholePeriodsMissed),
                Is.EqualTo((RhythmState.Missed, (DateOnly?)new DateOnly(2026, 11, 9), 2)));
            // October was not owed (paired on the 26th); November is still running.
            Assert.That((lapsed[Rhythm.MonthlyService].State, lapsed[Rhythm.MonthlyService].MissedSince), Is.EqualTo((RhythmState.Due, (DateOnly?)new DateOnly(2026, 11, 1))));
            Assert.That(overdue.Elders[1].Overdue.Select(s => (s.Rhythm, s.State)), Is.EqualTo(new[] { (Rhythm.DailyGreeting, RhythmState.Missed), (Rhythm.WeeklyVisit, RhythmState.Due) }));
            Assert.That(overdue.Elders[2].Overdue.Select(s => (s.Rhythm, s.State)), Is.EqualTo(new[] { (Rhythm.DailyGreeting, RhythmState.Due), (Rhythm.WeeklyVisit, RhythmState.Due) }));
        });
    }

    [Test]
    public async Task a_pairings_cadence_shows_all_six_rhythms()
    {
        var pairing = (await Get<List<PairingResponse>>($"/volunteers/{_keeper}/pairings")).Single(p => p.ElderId == _new);

        var cadence = await Get<PairingCadenceResponse>($"/pairings/{pairing.PairingId}/cadence");

        Assert.That(cadence.Rhythms.Select(r => (r.Rhythm, r.State)), Is.EqualTo(new[]
        {
            (Rhythm.DailyGreeting, RhythmState.Missed),
            (Rhythm.WeeklyVisit, RhythmState.Due),
            (Rhythm.MonthlyService, RhythmState.NotOwedYet),
            (Rhythm.QuarterlyActivity, RhythmState.NotOwedYet),
            // Double Ninth (18 October) came before the pairing; this elder's birthday is not known.
            (Rhythm.FestivalActivity, RhythmState.NotOwedYet),
            (Rhythm.BirthdayVisit, RhythmState.NoOccasion),
        }));
        Assert.That(cadence.Rhythms[0].LastKeptOn, Is.EqualTo(new DateOnly(2026, 11, 20)));
    }

    [Test]
    public async Task compliance_counts_each_pairings_whole_periods_kept_and_owed()
    {
        // Kept: 28 days and 4 weeks owed, all kept (October is not owed: paired on the 26th; November is not over).
        // Lapsed: 28 days owed, 21 greeted; 4 weeks owed, 2 visited: 23 of 32 = 71%.
        // New: the 18th to the 22nd owed (5 days), greeted once; its first week was not whole: 1 of 5 = 20%.
        var byCategory = await Get<ComplianceResponse>("/care/compliance?from=2026-10-26&to=2026-11-22&by=category");
        Assert.That(byCategory.Rows.Select(r => (r.Key, r.Owed, r.Kept, r.PercentKept)), Is.EqualTo(new[]
        {
            ("disabled", 32, 23, (int?)71),
            ("living-alone", 32, 32, (int?)100),
            ("poor", 5, 1, (int?)20),
        }));

        var byVolunteer = await Get<ComplianceResponse>("/care/compliance?from=2026-10-26&to=2026-11-22&by=team");
        // general-care holds Kept and New: 37 owed, 33 kept = 89%; night-watch holds Lapsed.
        Assert.That(byVolunteer.Rows.Select(r => (r.Key, r.Owed, r.Kept, r.PercentKept)), Is.EqualTo(new[]
        {
            ("general-care", 37, 33, (int?)89),
            ("night-watch", 32, 23, (int?)71),
        }));
        var lapsedWeeks = byVolunteer.Rows[1].Rhythms.Single(r => r.Rhythm == Rhythm.WeeklyVisit);
        Assert.That((lapsedWeeks.Owed, lapsedWeeks.Kept, lapsedWeeks.PercentKept), Is.EqualTo((4, 2, (int?)50)));

        var community = await Get<ComplianceResponse>("/care/compliance?from=2026-10-26&to=2026-11-22");
        Assert.That(community.Rows.Select(r => (r.Key, r.Owed, r.Kept, r.PercentKept)), Is.EqualTo(new[] { (_community.Code, 69, 56, (int?)81) }));
    }

    [TestCase("from=2026-11-30&to=2026-11-01", "to")]
    [TestCase("to=2026-11-01", "from")]
    [TestCase("from=2025-01-01&to=2026-11-01", "to")]
    [TestCase("from=2026-11-01&to=2026-11-30&by=planet", "by")]
    [TestCase("from=2026-13-01&to=2026-11-30", "from")]
    public async Task compliance_refuses_a_range_it_cannot_count(string query, string field)
    {
        var problem = await (await _community.Http.GetAsync(_community.Url($"/care/compliance?{query}"))).ReadProblem(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Does.Contain(field));
    }

    [Test]
    public async Task a_grid_workers_overdue_list_holds_only_their_households_and_an_unknown_one_is_not_found()
    {
        var community = await Given.ACommunity();
        var gridWorker = await community.AGridWorker();
        var volunteer = await community.AVolunteer();
        var theirs = await community.AnElder("poor", gridWorker.Id);
        var others = await community.AnElder("living-alone");
        await community.Pair(volunteer.Id, theirs.Id);
        await community.Pair(volunteer.Id, others.Id);

        var overdue = (await community.Http.GetFromJsonAsync<OverdueResponse>(community.Url($"/care/overdue?gridWorkerId={gridWorker.Id}"), Json.Options))!;
        var unknown = await community.Http.GetAsync(community.Url($"/care/overdue?gridWorkerId={Guid.NewGuid()}"));

        // Paired today, a Monday: today's greeting and this week's visit are due; the month began before the pairing.
        Assert.That(overdue.Elders.Select(e => (e.ElderId, e.Overdue.Count)).ToList(), Is.EqualTo(new[] { (theirs.Id, 2) }));
        await unknown.ReadProblem(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task days_weeks_and_months_are_cut_at_midnight_in_shanghai_not_utc()
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var elder = await community.AnElder();
        Assert.That((await community.Http.PostAsJsonAsync(community.Url("/pairings"),
            new { volunteerId = volunteer.Id, elderId = elder.Id, basis = "kinship", startedOn = "2026-10-01", recordedBy = "grid-01" })).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        // 31 October 16:30 UTC is 1 November 00:30 in Shanghai: November's service.
        await community.AService(volunteer.Id, elder.Id, "2026-10-31T16:30:00Z", 30, "cleaning-laundry");
        // Sunday 22 November 14:59 UTC is 22:59 in Shanghai: last week's visit (an hour), not this week's.
        await community.AService(volunteer.Id, elder.Id, "2026-11-22T14:59:00Z", 60);
        // 16:01 UTC the same evening is already Monday the 23rd in Shanghai: today's greeting.
        await community.AService(volunteer.Id, elder.Id, "2026-11-22T16:01:00Z", 5, "greeting-call");
        await TestHost.Factory.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

        var pairing = (await community.Http.GetFromJsonAsync<List<PairingResponse>>(community.Url($"/volunteers/{volunteer.Id}/pairings"), Json.Options))!.Single();
        var cadence = (await community.Http.GetFromJsonAsync<PairingCadenceResponse>(community.Url($"/pairings/{pairing.PairingId}/cadence"), Json.Options))!;
        var byRhythm = cadence.Rhythms.ToDictionary(r => r.Rhythm);

        Assert.Multiple(() =>
        {
            Assert.That((byRhythm[Rhythm.DailyGreeting].State, byRhythm[Rhythm.DailyGreeting].LastKeptOn), Is.EqualTo((RhythmState.Kept, (DateOnly?)new DateOnly(2026, 11, 23))));
            Assert.That((byRhythm[Rhythm.WeeklyVisit].State, byRhythm[Rhythm.WeeklyVisit].LastKeptOn), Is.EqualTo((RhythmState.Due, (DateOnly?)new DateOnly(2026, 11, 22))));
            Assert.That((byRhythm[Rhythm.MonthlyService].State, byRhythm[Rhythm.MonthlyService].LastKeptOn), Is.EqualTo((RhythmState.Kept, (DateOnly?)new DateOnly(2026, 11, 1))));
        });
    }

    [Test]
    public async Task upcoming_festivals_and_birthdays_name_the_paired_volunteer()
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var solar = await community.Http.PostAsJsonAsync(community.Url("/elders"),
            new { name = "赵奶奶", careCategory = "living-alone", birthDate = "1936-12-01", recordedBy = "grid-01" });
        var lunar = await community.Http.PostAsJsonAsync(community.Url("/elders"),
            new { name = "钱爷爷", careCategory = "poor", lunarBirthday = new { month = 1, day = 1 }, recordedBy = "grid-01" });
        var solarElder = await solar.ReadCreated<ElderResponse>();
        var lunarElder = await lunar.ReadCreated<ElderResponse>();
        await community.Pair(volunteer.Id, solarElder.Id);

        var upcoming = (await community.Http.GetFromJsonAsync<UpcomingResponse>(community.Url("/care/upcoming?days=80"), Json.Options))!;

        // 23 November 2026 to 10 February 2027: Spring Festival is 6 February 2027, its window the 3rd to the 9th.
        Assert.That(upcoming.Festivals, Is.EqualTo(new[] { new UpcomingFestival(Festival.SpringFestival, new DateOnly(2027, 2, 6), new DateOnly(2027, 2, 3), new DateOnly(2027, 2, 9)) }));
        Assert.That(upcoming.Birthdays.Select(b => (b.ElderId, b.Date, b.Lunar, b.Turns, b.VolunteerId)), Is.EqualTo(new[]
        {
            (solarElder.Id, new DateOnly(2026, 12, 1), false, (int?)90, (Guid?)volunteer.Id),
            (lunarElder.Id, new DateOnly(2027, 2, 6), true, (int?)null, (Guid?)null),
        }));
        await (await community.Http.GetAsync(community.Url("/care/upcoming?days=0"))).ReadProblem(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task the_festivals_of_a_year_come_with_the_communitys_window()
    {
        var festivals = await Get<List<UpcomingFestival>>("/care/festivals?from=2026-01-01&to=2026-12-31");

        Assert.That(festivals.Select(f => (f.Festival, f.Date, f.WindowStart, f.WindowEnd)), Is.EqualTo(new[]
        {
            (Festival.SpringFestival, new DateOnly(2026, 2, 17), new DateOnly(2026, 2, 14), new DateOnly(2026, 2, 20)),
            (Festival.LanternFestival, new DateOnly(2026, 3, 3), new DateOnly(2026, 2, 28), new DateOnly(2026, 3, 6)),
            (Festival.DragonBoatFestival, new DateOnly(2026, 6, 19), new DateOnly(2026, 6, 16), new DateOnly(2026, 6, 22)),
            (Festival.MidAutumnFestival, new DateOnly(2026, 9, 25), new DateOnly(2026, 9, 22), new DateOnly(2026, 9, 28)),
            (Festival.DoubleNinthFestival, new DateOnly(2026, 10, 18), new DateOnly(2026, 10, 15), new DateOnly(2026, 10, 21)),
        }));
    }

    [Test]
    public async Task elders_without_a_pairing_are_listed_unless_they_died_or_moved_and_pairings_of_volunteers_who_left_too()
    {
        var community = await Given.ACommunity();
        var volunteer = await community.AVolunteer();
        var leaving = await community.AVolunteer();
        var never = await community.AnElder("comfortable");
        var replaced = await community.AnElder("disabled");
        var deceased = await community.AnElder("living-alone");
        var stranded = await community.AnElder("poor");
        await EndedPairing(community, volunteer.Id, replaced.Id, "other");
        await EndedPairing(community, volunteer.Id, deceased.Id, "elder-deceased");
        await community.Pair(leaving.Id, stranded.Id);
        await community.Http.PostAsJsonAsync(community.Url($"/volunteers/{leaving.Id}/departure"), new { reason = "moved-away", recordedBy = "grid-01" });

        var unpaired = (await community.Http.GetFromJsonAsync<UnpairedResponse>(community.Url("/care/unpaired"), Json.Options))!;

        // Disabled before comfortable.
        Assert.That(unpaired.Elders.Select(e => (e.ElderId, e.LastPairingEndReason)), Is.EqualTo(new[]
        {
            (replaced.Id, (PairingEndReason?)PairingEndReason.Other),
            (never.Id, (PairingEndReason?)null),
        }));
        Assert.That(unpaired.PairingsWithInactiveVolunteer.Select(p => (p.ElderId, p.VolunteerId)).ToList(), Is.EqualTo(new[] { (stranded.Id, leaving.Id) }));
    }

    private static async Task EndedPairing(TestCommunity community, Guid volunteerId, Guid elderId, string reason)
    {
        var pairing = await (await community.Pair(volunteerId, elderId)).ReadCreated<PairingResponse>();
        var ended = await community.Http.PostAsJsonAsync(community.Url($"/pairings/{pairing.PairingId}/end"), new { reason, recordedBy = "grid-01" });
        Assert.That(ended.StatusCode, Is.EqualTo(HttpStatusCode.OK), await ended.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task a_community_chooses_its_week_start_and_what_keeps_each_rhythm()
    {
        var community = await Given.ACommunity();
        var types = new[]
        {
            new { rhythm = "daily-greeting", serviceTypes = new[] { "greeting-call" } },
            new { rhythm = "weekly-visit", serviceTypes = new[] { "home-visit", "meal-delivery" } },
            new { rhythm = "monthly-service", serviceTypes = new[] { "haircut-shave" } },
            new { rhythm = "quarterly-activity", serviceTypes = new[] { "alliance-activity" } },
            new { rhythm = "festival-activity", serviceTypes = new[] { "festival-activity", "performance" } },
            new { rhythm = "birthday-visit", serviceTypes = new[] { "birthday-visit" } },
        };

        var set = await community.Http.PostAsJsonAsync(community.Url("/care-cadence"),
            new { weekStartsOn = "sunday", festivalWindowDays = 7, birthdayWindowDays = 1, serviceTypesByRhythm = types, recordedBy = "office-01" });
        var unknownType = await community.Http.PostAsJsonAsync(community.Url("/care-cadence"),
            new { weekStartsOn = "sunday", festivalWindowDays = 7, birthdayWindowDays = 1, serviceTypesByRhythm = types.Select(t => t with { serviceTypes = new[] { "karaoke" } }), recordedBy = "office-01" });
        var missingRhythm = await community.Http.PostAsJsonAsync(community.Url("/care-cadence"),
            new { weekStartsOn = "monday", festivalWindowDays = 3, birthdayWindowDays = 3, serviceTypesByRhythm = types.Take(5), recordedBy = "office-01" });
        var tooWide = await community.Http.PostAsJsonAsync(community.Url("/care-cadence"),
            new { weekStartsOn = "monday", festivalWindowDays = 30, birthdayWindowDays = 3, serviceTypesByRhythm = types, recordedBy = "office-01" });

        Assert.That(set.StatusCode, Is.EqualTo(HttpStatusCode.OK), await set.Content.ReadAsStringAsync());
        var cadence = (await community.Http.GetFromJsonAsync<CareCadence>(community.Url("/care-cadence"), Json.Options))!;
        Assert.That((cadence.WeekStartsOn, cadence.FestivalWindowDays, cadence.BirthdayWindowDays), Is.EqualTo((DayOfWeek.Sunday, 7, 1)));
        Assert.That(cadence.ServiceTypesFor(Rhythm.WeeklyVisit), Is.EqualTo(new[] { "home-visit", "meal-delivery" }));
        Assert.That((await unknownType.ReadProblem(HttpStatusCode.UnprocessableEntity)).ErrorFields(), Is.EqualTo(new[] { "serviceTypesByRhythm" }));
        Assert.That((await missingRhythm.ReadProblem(HttpStatusCode.UnprocessableEntity)).ErrorFields(), Is.EqualTo(new[] { "serviceTypesByRhythm" }));
        Assert.That((await tooWide.ReadProblem(HttpStatusCode.BadRequest)).ErrorFields(), Is.EqualTo(new[] { "festivalWindowDays" }));
    }
}
