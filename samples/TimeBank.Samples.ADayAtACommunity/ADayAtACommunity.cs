using TimeBank.Client;

namespace TimeBank.Samples.ADayAtACommunity;

/// <summary>What the day left on the ledger, for the reader (and the test) to check.</summary>
public sealed record DayResult(int VisitsLastQuarter, int PointsAwarded, int PointsAfterRedeeming, int BalanceMinutes, string PickupCode, int StatementLines);

/// <summary>
/// A day at a community, through the typed client: a volunteer and an elder are paired; last quarter's weekly
/// visits are settled into points; the day's greeting and visit are recorded and the visit confirmed;
/// the volunteer exchanges points for rice at the station and picks it up; then the statement is read.
/// </summary>
public sealed class ADayAtACommunity(TimeBankClient client, TextWriter output)
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    public async Task<DayResult> RunAsync(string code, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.ToOffset(Shanghai).DateTime);
        var thisQuarter = new DateOnly(today.Year, ((today.Month - 1) / 3 * 3) + 1, 1);
        var lastQuarter = thisQuarter.AddMonths(-3);
        var quarterName = $"{lastQuarter.Year}Q{((lastQuarter.Month - 1) / 3) + 1}";

        await client.RegisterCommunityAsync(code, "示范社区", "office-01");
        var volunteer = await client.EnrolVolunteerAsync(code, "王秀兰", "13800000001", "general-care", lastQuarter.AddDays(-1), "grid-01");
        var elder = await client.RegisterElderAsync(code, "李大爷", "living-alone", "grid-01");
        await client.PairAsync(code, volunteer.Id, elder.Id, "proximity", lastQuarter, "grid-01");
        output.WriteLine($"Paired volunteer {volunteer.Id} with elder {elder.Id} since {lastQuarter:yyyy-MM-dd}.");

        // Last quarter: an hour's visit every Monday whose week lies wholly in the quarter.
        var visits = 0;
        var monday = lastQuarter.AddDays(((int)DayOfWeek.Monday - (int)lastQuarter.DayOfWeek + 7) % 7);
        for (var day = monday; day.AddDays(6) < thisQuarter; day = day.AddDays(7), visits++)
        {
            await client.RecordServiceAsync(code, volunteer.Id, elder.Id, "home-visit", At(day, 15), 60, "grid-01");
        }

        var closing = await client.CloseQuarterAsync(code, quarterName, "office-01");
        var awarded = (await client.PointsAsync(code, volunteer.Id)).Balance;
        output.WriteLine($"{quarterName}: {visits} visits, closed with {closing.PointsAwarded} points awarded.");

        // Earlier today: a call two hours ago, then an hour's visit that ended twenty minutes ago.
        await client.RecordServiceAsync(code, volunteer.Id, elder.Id, "greeting-call", now.AddHours(-2), 10, "grid-01");
        var visit = await client.RecordServiceAsync(code, volunteer.Id, elder.Id, "home-visit", now.AddMinutes(-80), 60, "grid-01");
        await client.ConfirmServiceAsync(code, visit.ServiceId, elder.Id);
        output.WriteLine("Greeted and visited; the elder confirmed the visit.");

        // At the station's counter.
        var station = await client.OpenStationAsync(code, "新时代文明实践站", "office-01");
        station = await client.AddItemAsync(code, station.StationId, "大米 5kg", "袋", 30, 20, "store-01");
        var rice = station.Items.Single();
        var order = await client.RedeemAsync(code, station.StationId, volunteer.Id, [(rice.ItemId, 1)], "store-01");
        var pickedUp = await client.PickUpAsync(code, station.StationId, order.PickupCode, "store-01");
        output.WriteLine($"Exchanged {order.TotalPoints} points for {rice.Name}: receipt {order.ReceiptNumber}, {pickedUp.Status}.");

        var account = await client.TimeAccountAsync(code, volunteer.Id);
        var statement = await client.StatementAsync(code, volunteer.Id);
        var points = await client.PointsAsync(code, volunteer.Id);
        output.WriteLine($"Time account: {account.Balance} minutes over {statement.Lines.Count} statement lines; points left: {points.Balance}.");
        return new DayResult(visits, awarded, points.Balance, account.Balance, order.PickupCode, statement.Lines.Count);
    }

    private static DateTimeOffset At(DateOnly day, int hour) => new(day.ToDateTime(new TimeOnly(hour, 0)), Shanghai);
}
