using TimeBank.Domain.Care;
using TimeBank.Domain.Elders;
using TimeBank.Domain.Pairings;

namespace TimeBank.Domain.Tests.Care;

public class CadenceStatusTests
{
    private static readonly CareCadence Cadence = CareCadence.Default;

    private static Pairing PairedOn(string day, string? endedOn = null) =>
        new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), DateOnly.Parse(day), PairingBasis.Proximity,
            endedOn is null ? null : DateOnly.Parse(endedOn), endedOn is null ? null : PairingEndReason.Other);

    private static CareReceived Received(params (string Day, string Type)[] services) =>
        new(services.Select(s => (DateOnly.Parse(s.Day), s.Type)));

    [TestCase("2026-11-23", "2026-11-23", "2026-11-29")] // a Monday starts its own week
    [TestCase("2026-11-29", "2026-11-23", "2026-11-29")] // a Sunday ends it
    [TestCase("2026-12-31", "2026-12-28", "2027-01-03")] // a week may cross the year
    public void weeks_start_on_monday_by_default(string day, string start, string end)
    {
        var week = CarePeriods.Containing(Rhythm.WeeklyVisit, DateOnly.Parse(day), Cadence);
        Assert.That((week.Start, week.End), Is.EqualTo((DateOnly.Parse(start), DateOnly.Parse(end))));
    }

    [Test]
    public void a_community_may_start_its_weeks_on_sunday()
    {
        var week = CarePeriods.Containing(Rhythm.WeeklyVisit, new DateOnly(2026, 11, 23), Cadence with { WeekStartsOn = DayOfWeek.Sunday });
        Assert.That((week.Start, week.End), Is.EqualTo((new DateOnly(2026, 11, 22), new DateOnly(2026, 11, 28))));
    }

    [Test]
    public void a_greeting_today_keeps_the_daily_rhythm_and_a_home_visit_does_too()
    {
        var pairing = PairedOn("2026-11-01");
        var today = new DateOnly(2026, 11, 23);

        Assert.That(CadenceStatus.Of(Rhythm.DailyGreeting, pairing, Cadence, null, Received(("2026-11-23", "greeting-call")), today).State, Is.EqualTo(RhythmState.Kept));
        Assert.That(CadenceStatus.Of(Rhythm.DailyGreeting, pairing, Cadence, null, Received(("2026-11-23", "home-visit")), today).State, Is.EqualTo(RhythmState.Kept));
        // A haircut is no greeting: nothing has kept the rhythm since the pairing began.
        Assert.That(CadenceStatus.Of(Rhythm.DailyGreeting, pairing, Cadence, null, Received(("2026-11-23", "haircut-shave")), today).State, Is.EqualTo(RhythmState.Missed));
    }

    [Test]
    public void a_rhythm_not_kept_since_the_last_greeting_has_been_missed_since_the_day_after_it()
    {
        // Greeted on the 19th; the 20th, 21st and 22nd passed without one, and today is not over.
        var status = CadenceStatus.Of(Rhythm.DailyGreeting, PairedOn("2026-11-01"), Cadence, null, Received(("2026-11-19", "greeting-call")), new DateOnly(2026, 11, 23));

        Assert.That((status.State, status.LastKeptOn, status.MissedSince, status.WholePeriodsMissed),
            Is.EqualTo((RhythmState.Missed, (DateOnly?)new DateOnly(2026, 11, 19), (DateOnly?)new DateOnly(2026, 11, 20), 3)));
    }

    [Test]
    public void a_pairing_that_never_had_a_visit_has_missed_it_since_its_first_whole_week()
    {
        // Paired on Wednesday 4 November: the week of 2 November is not owed; 9, 16 November weeks were missed.
        var status = CadenceStatus.Of(Rhythm.WeeklyVisit, PairedOn("2026-11-04"), Cadence, null, CareReceived.Nothing, new DateOnly(2026, 11, 23));

        Assert.That((status.State, status.MissedSince, status.WholePeriodsMissed), Is.EqualTo((RhythmState.Missed, (DateOnly?)new DateOnly(2026, 11, 9), 2)));
    }

    [Test]
    public void a_pairing_made_this_week_owes_no_visit_until_next_week()
    {
        var status = CadenceStatus.Of(Rhythm.WeeklyVisit, PairedOn("2026-11-24"), Cadence, null, CareReceived.Nothing, new DateOnly(2026, 11, 26));

        Assert.That(status.State, Is.EqualTo(RhythmState.NotOwedYet));
    }

    [Test]
    public void a_visit_kept_last_week_leaves_this_week_due_not_missed()
    {
        var status = CadenceStatus.Of(Rhythm.WeeklyVisit, PairedOn("2026-11-02"), Cadence, null, Received(("2026-11-20", "home-visit")), new DateOnly(2026, 11, 23));

        Assert.That((status.State, status.MissedSince, status.WholePeriodsMissed), Is.EqualTo((RhythmState.Due, (DateOnly?)new DateOnly(2026, 11, 23), 0)));
    }

    [Test]
    public void a_festival_activity_counts_inside_the_window_around_the_festival_only()
    {
        // Double Ninth 2026 is 18 October; the default window is three days either side (15 to 21 October).
        var pairing = PairedOn("2026-09-01");
        var today = new DateOnly(2026, 11, 23);

        var keptEarly = CadenceStatus.Of(Rhythm.FestivalActivity, pairing, Cadence, null, Received(("2026-10-15", "festival-activity")), today);
        var tooEarly = CadenceStatus.Of(Rhythm.FestivalActivity, pairing, Cadence, null, Received(("2026-10-14", "festival-activity")), today);

        Assert.That((keptEarly.State, keptEarly.Period!.Festival, keptEarly.Period.Occasion), Is.EqualTo((RhythmState.Kept, (Festival?)Festival.DoubleNinthFestival, (DateOnly?)new DateOnly(2026, 10, 18))));
        Assert.That(tooEarly.State, Is.EqualTo(RhythmState.Missed));
    }

    [Test]
    public void the_birthday_window_is_due_while_it_is_open_and_unknown_birthdays_have_no_occasion()
    {
        var pairing = PairedOn("2026-01-01");
        var birthday = Birthday.Of(new DateOnly(1941, 11, 24), null);

        var open = CadenceStatus.Of(Rhythm.BirthdayVisit, pairing, Cadence, birthday, CareReceived.Nothing, new DateOnly(2026, 11, 23));
        var unknown = CadenceStatus.Of(Rhythm.BirthdayVisit, pairing, Cadence, null, CareReceived.Nothing, new DateOnly(2026, 11, 23));

        Assert.That((open.State, open.Period!.Start, open.Period.End), Is.EqualTo((RhythmState.Due, new DateOnly(2026, 11, 21), new DateOnly(2026, 11, 27))));
        Assert.That(unknown.State, Is.EqualTo(RhythmState.NoOccasion));
    }

    [Test]
    public void compliance_counts_the_periods_that_are_over_and_were_owed_in_the_range()
    {
        // November 2026, today the 23rd. Pairing from Monday 2 November. Greetings on 2-11 November (10 days),
        // visits in the weeks of 2 and 16 November, one haircut on the 5th.
        var pairing = PairedOn("2026-11-02");
        var services = Enumerable.Range(2, 10).Select(d => ($"2026-11-{d:D2}", "greeting-call"))
            .Append(("2026-11-04", "home-visit")).Append(("2026-11-18", "home-visit")).Append(("2026-11-05", "haircut-shave")).ToArray();

        var owed = CadenceCompliance.Owed(pairing, Cadence, null, Received(services), new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), new DateOnly(2026, 11, 23)).ToList();
        var tally = CadenceCompliance.Tally(owed).ToDictionary(t => t.Rhythm);

        Assert.Multiple(() =>
        {
            // Days 2-22 are over: 21 owed, 10 greeted (the home visits on the 4th and 18th: the 18th adds one).
            Assert.That((tally[Rhythm.DailyGreeting].Owed, tally[Rhythm.DailyGreeting].Kept, tally[Rhythm.DailyGreeting].PercentKept), Is.EqualTo((21, 11, (int?)52)));
            // Weeks ending 8, 15, 22 November are over: visits in two of them.
            Assert.That((tally[Rhythm.WeeklyVisit].Owed, tally[Rhythm.WeeklyVisit].Kept), Is.EqualTo((3, 2)));
            // November is not over, and the quarter neither: nothing owed yet.
            Assert.That(tally[Rhythm.MonthlyService].Owed, Is.Zero);
            Assert.That(tally[Rhythm.QuarterlyActivity].Owed, Is.Zero);
            Assert.That(tally[Rhythm.FestivalActivity].Owed, Is.Zero);
        });
    }

    [Test]
    public void an_ended_pairing_owes_nothing_from_the_day_it_ended()
    {
        var pairing = PairedOn("2026-11-02", endedOn: "2026-11-10");

        var owed = CadenceCompliance.Owed(pairing, Cadence, null, CareReceived.Nothing, new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), new DateOnly(2026, 11, 23)).ToList();

        // Days 2 to 9 and the week of 2 November.
        Assert.That(owed.Count(o => o.Rhythm == Rhythm.DailyGreeting), Is.EqualTo(8));
        Assert.That(owed.Count(o => o.Rhythm == Rhythm.WeeklyVisit), Is.EqualTo(1));
    }

    [Test]
    public void overdue_elders_who_waited_longest_come_first_and_on_the_same_day_those_living_alone()
    {
        OverdueElder Waiting(string since, CareCategory category) =>
            new(Guid.NewGuid(), category, null, Guid.NewGuid(), Guid.NewGuid(), DateOnly.Parse(since), []);
        var comfortable = Waiting("2026-11-20", CareCategory.Comfortable);
        var alone = Waiting("2026-11-20", CareCategory.LivingAlone);
        var longest = Waiting("2026-11-02", CareCategory.Poor);
        var sinceToday = Waiting("2026-11-23", CareCategory.Disabled);

        Assert.That(OverdueCare.InOrder([comfortable, sinceToday, alone, longest]), Is.EqualTo(new[] { longest, alone, comfortable, sinceToday }));
    }
}
