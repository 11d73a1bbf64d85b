using Microsoft.Kiota.Abstractions;
using TimeBank.Client;
using TimeBank.Client.Generated;
using TimeBank.Client.Generated.Models;

namespace TimeBank.Samples.ADayAtACommunity;

/// <summary>What the day left on the ledger, for the reader (and the test) to check.</summary>
public sealed record DayResult(int VisitsLastQuarter, int PointsAwarded, int PointsAfterRedeeming, int BalanceMinutes, string PickupCode, int StatementLines);

/// <summary>
/// A day at a community, through the client generated from the OpenAPI document: a volunteer and an elder are
/// paired; last quarter's weekly visits are settled into points; the day's greeting and visit are recorded and
/// the visit confirmed; the volunteer exchanges points for rice at the station and picks it up; then the
/// statement is read.
/// </summary>
public sealed class ADayAtACommunity(TimeBankApiClient client, TextWriter output)
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    public async Task<DayResult> RunAsync(string code, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.ToOffset(Shanghai).DateTime);
        var thisQuarter = new DateOnly(today.Year, ((today.Month - 1) / 3 * 3) + 1, 1);
        var lastQuarter = thisQuarter.AddMonths(-3);
        var quarterName = $"{lastQuarter.Year}Q{((lastQuarter.Month - 1) / 3) + 1}";

        var communities = client.Api.V1.Communities;
        await communities.PostAsync(new RegisterCommunity { Code = code, Name = "示范社区", TimeZone = "Asia/Shanghai", RecordedBy = "office-01" });
        var community = communities[code];
        var volunteer = Described(await community.Volunteers.PostAsync(new EnrolVolunteer
        {
            Name = "王秀兰",
            Phone = "13800000001",
            Team = "general-care",
            EnrolledOn = DateOf(lastQuarter.AddDays(-1)),
            RecordedBy = "grid-01",
        })).Id!.Value;
        var elder = Described(await community.Elders.PostAsync(new RegisterElder { Name = "李大爷", CareCategory = CareCategory.LivingAlone, RecordedBy = "grid-01" })).Id!.Value;
        await community.Pairings.PostAsync(new PairElder { VolunteerId = volunteer, ElderId = elder, Basis = PairingBasis.Proximity, StartedOn = DateOf(lastQuarter), RecordedBy = "grid-01" });
        output.WriteLine($"Paired volunteer {volunteer} with elder {elder} since {lastQuarter:yyyy-MM-dd}.");

        // Last quarter: an hour's visit every Monday whose week lies wholly in the quarter.
        var visits = 0;
        var monday = lastQuarter.AddDays(((int)DayOfWeek.Monday - (int)lastQuarter.DayOfWeek + 7) % 7);
        for (var day = monday; day.AddDays(6) < thisQuarter; day = day.AddDays(7), visits++)
        {
            await community.Services.PostAsync(Service(volunteer, elder, "home-visit", At(day, 15), 60));
        }

        var closing = Described(await community.Quarters[quarterName].Closing.PostAsync(new CloseQuarter { RecordedBy = "office-01" }));
        var awarded = Described(await community.Volunteers[volunteer].Points.GetAsync()).Balance!.Value;
        output.WriteLine($"{quarterName}: {visits} visits, closed with {closing.PointsAwarded} points awarded.");

        // Earlier today: a call two hours ago, then an hour's visit that ended twenty minutes ago.
        await community.Services.PostAsync(Service(volunteer, elder, "greeting-call", now.AddHours(-2), 10));
        var visit = Described(await community.Services.PostAsync(Service(volunteer, elder, "home-visit", now.AddMinutes(-80), 60))).ServiceId!.Value;
        await community.Services[visit].Confirmation.PostAsync(new ConfirmService { EvaluatorRole = EvaluatorRole.Elder, EvaluatorId = elder });
        output.WriteLine("Greeted and visited; the elder confirmed the visit.");

        // At the station's counter.
        var station = Described(await community.Stations.PostAsync(new OpenStation { Name = "新时代文明实践站", RecordedBy = "office-01" })).StationId!.Value;
        var stocked = Described(await community.Stations[station].Items.PostAsync(new AddStoreItem
        {
            Name = "大米 5kg",
            Unit = "袋",
            PricePoints = 30,
            Stock = 20,
            RecordedBy = "store-01",
        }));
        var rice = stocked.Items!.Single();
        var order = Described(await community.Stations[station].Orders.PostAsync(new PlaceOrder
        {
            VolunteerId = volunteer,
            Items = [new WantedItem { ItemId = rice.ItemId, Quantity = 1 }],
            RecordedBy = "store-01",
        }));
        var pickedUp = Described(await community.Stations[station].Pickups.PostAsync(new PickUpOrder { PickupCode = order.PickupCode, RecordedBy = "store-01" }));
        output.WriteLine($"Exchanged {order.TotalPoints} points for {rice.Name}: receipt {order.ReceiptNumber}, {pickedUp.Status}.");

        var account = Described(await community.Volunteers[volunteer].TimeAccount.GetAsync());
        var statement = Described(await community.Volunteers[volunteer].Statement.GetAsync());
        var points = Described(await community.Volunteers[volunteer].Points.GetAsync()).Balance!.Value;
        var lines = statement.Lines!.Count;
        output.WriteLine($"Time account: {account.Balance} minutes over {lines} statement lines; points left: {points}.");
        return new DayResult(visits, awarded, points, account.Balance!.Value, order.PickupCode!, lines);
    }

    private static RecordService Service(Guid volunteer, Guid elder, string serviceType, DateTimeOffset startedAt, int minutes) =>
        new() { VolunteerId = volunteer, ElderIds = [elder], ServiceType = serviceType, StartedAt = startedAt, Minutes = minutes, RecordedBy = "grid-01" };

    /// <summary>An answer the document describes; the service always sends one with a success.</summary>
    private static T Described<T>(T? answer)
        where T : class => answer ?? throw new InvalidOperationException("The service answered without a body.");

    private static Date DateOf(DateOnly day) => new(day.Year, day.Month, day.Day);

    private static DateTimeOffset At(DateOnly day, int hour) => new(day.ToDateTime(new TimeOnly(hour, 0)), Shanghai);
}
