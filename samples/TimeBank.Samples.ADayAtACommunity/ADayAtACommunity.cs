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
        await communities.PostAsync(new RegisterCommunity { Code = Text.Of(code), Name = Text.Of("示范社区"), TimeZone = Text.Of("Asia/Shanghai"), RecordedBy = Text.Of("office-01") });
        var community = communities[code];
        var volunteer = Answers.Of(await community.Volunteers.PostAsync(new EnrolVolunteer
        {
            Name = Text.Of("王秀兰"),
            Phone = Text.Of("13800000001"),
            Team = Text.Of("general-care"),
            EnrolledOn = DateOf(lastQuarter.AddDays(-1)),
            RecordedBy = Text.Of("grid-01"),
        })).Guid("id");
        var elder = Answers.Of(await community.Elders.PostAsync(new RegisterElder { Name = Text.Of("李大爷"), CareCategory = CareCategory.LivingAlone, RecordedBy = Text.Of("grid-01") })).Guid("id");
        await community.Pairings.PostAsync(new PairElder { VolunteerId = volunteer, ElderId = elder, Basis = PairingBasis.Proximity, StartedOn = DateOf(lastQuarter), RecordedBy = Text.Of("grid-01") });
        output.WriteLine($"Paired volunteer {volunteer} with elder {elder} since {lastQuarter:yyyy-MM-dd}.");

        // Last quarter: an hour's visit every Monday whose week lies wholly in the quarter.
        var visits = 0;
        var monday = lastQuarter.AddDays(((int)DayOfWeek.Monday - (int)lastQuarter.DayOfWeek + 7) % 7);
        for (var day = monday; day.AddDays(6) < thisQuarter; day = day.AddDays(7), visits++)
        {
            await community.Services.PostAsync(Service(volunteer, elder, "home-visit", At(day, 15), 60));
        }

        var closing = Answers.Of(await community.Quarters[quarterName].Closing.PostAsync(new CloseQuarter { RecordedBy = Text.Of("office-01") }));
        var awarded = Answers.Of(await community.Volunteers[volunteer].Points.GetAsync()).Int("balance");
        output.WriteLine($"{quarterName}: {visits} visits, closed with {closing.Int("pointsAwarded")} points awarded.");

        // Earlier today: a call two hours ago, then an hour's visit that ended twenty minutes ago.
        await community.Services.PostAsync(Service(volunteer, elder, "greeting-call", now.AddHours(-2), 10));
        var visit = Answers.Of(await community.Services.PostAsync(Service(volunteer, elder, "home-visit", now.AddMinutes(-80), 60))).Guid("serviceId");
        await community.Services[visit].Confirmation.PostAsync(new ConfirmService { EvaluatorRole = EvaluatorRole.Elder, EvaluatorId = elder });
        output.WriteLine("Greeted and visited; the elder confirmed the visit.");

        // At the station's counter.
        var station = Answers.Of(await community.Stations.PostAsync(new OpenStation { Name = Text.Of("新时代文明实践站"), RecordedBy = Text.Of("office-01") })).Guid("stationId");
        var stocked = Answers.Of(await community.Stations[station].Items.PostAsync(new AddStoreItem
        {
            Name = Text.Of("大米 5kg"),
            Unit = Text.Of("袋"),
            PricePoints = 30,
            Stock = 20,
            RecordedBy = Text.Of("store-01"),
        }));
        var rice = stocked.Items("items").Single();
        var order = Answers.Of(await community.Stations[station].Orders.PostAsync(new PlaceOrder
        {
            VolunteerId = volunteer,
            Items = [new WantedItem { ItemId = rice.Guid("itemId"), Quantity = 1 }],
            RecordedBy = Text.Of("store-01"),
        }));
        var pickedUp = Answers.Of(await community.Stations[station].Pickups.PostAsync(new PickUpOrder { PickupCode = Text.Of(order.String("pickupCode")), RecordedBy = Text.Of("store-01") }));
        output.WriteLine($"Exchanged {order.Int("totalPoints")} points for {rice.String("name")}: receipt {order.String("receiptNumber")}, {pickedUp.String("status")}.");

        var account = Answers.Of(await community.Volunteers[volunteer].TimeAccount.GetAsync());
        var statement = Answers.Of(await community.Volunteers[volunteer].Statement.GetAsync());
        var points = Answers.Of(await community.Volunteers[volunteer].Points.GetAsync()).Int("balance");
        var lines = statement.Items("lines").Count;
        output.WriteLine($"Time account: {account.Int("balance")} minutes over {lines} statement lines; points left: {points}.");
        return new DayResult(visits, awarded, points, account.Int("balance"), order.String("pickupCode"), lines);
    }

    private static RecordService Service(Guid volunteer, Guid elder, string serviceType, DateTimeOffset startedAt, int minutes) =>
        new() { VolunteerId = volunteer, ElderIds = [elder], ServiceType = Text.Of(serviceType), StartedAt = startedAt, Minutes = minutes, RecordedBy = Text.Of("grid-01") };

    private static Date DateOf(DateOnly day) => new(day.Year, day.Month, day.Day);

    private static DateTimeOffset At(DateOnly day, int hour) => new(day.ToDateTime(new TimeOnly(hour, 0)), Shanghai);
}
