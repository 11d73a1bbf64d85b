using TimeBank.Api.TimeAccounts;
using TimeBank.Api.Volunteers;
using TimeBank.Domain.TimeAccounts;
using TimeBank.Domain.Volunteers;

namespace TimeBank.Api.Tests.Volunteers;

public class MovingToAnotherCommunityTests
{
    [Test]
    public async Task a_volunteer_who_moves_takes_their_minutes_along_and_both_histories_show_it()
    {
        var home = await Given.ACommunity();
        var next = await Given.ACommunity();
        var volunteer = await home.AVolunteer();
        var elder = await home.AnElder();
        await home.AService(volunteer.Id, elder.Id, "2026-11-21T09:00:00+08:00", 90);
        await home.AService(volunteer.Id, elder.Id, "2026-11-22T09:00:00+08:00", 45);

        var moved = await home.Http.PostAsJsonAsync(home.Url($"/volunteers/{volunteer.Id}/transfer"), new { toCommunity = next.Code, recordedBy = "office-01" });

        var transfer = (await moved.Content.ReadFromJsonAsync<TransferResponse>(Json.Options))!;
        Assert.That(transfer.Minutes, Is.EqualTo(135));
        var left = await home.TimeAccountOf(volunteer.Id);
        Assert.That((left.Deposited, left.TransferredOut, left.Balance), Is.EqualTo((135, 135, 0)));
        var arrived = await next.TimeAccountOf(transfer.NewVolunteerId);
        Assert.That((arrived.TransferredIn, arrived.Balance, arrived.Available), Is.EqualTo((135, 135, 135)));

        var there = await next.Http.GetFromJsonAsync<VolunteerResponse>(next.Url($"/volunteers/{transfer.NewVolunteerId}"), Json.Options);
        Assert.That((there!.Name, there.Status), Is.EqualTo(("王秀兰", VolunteerStatus.Active)));
        var gone = await home.Http.GetFromJsonAsync<VolunteerResponse>(home.Url($"/volunteers/{volunteer.Id}"), Json.Options);
        Assert.That(gone!.Status, Is.EqualTo(VolunteerStatus.Left));
        var outLine = (await home.Http.GetFromJsonAsync<StatementResponse>(home.Url($"/volunteers/{volunteer.Id}/statement"), Json.Options))!.Lines[^1];
        var inLine = (await next.Http.GetFromJsonAsync<StatementResponse>(next.Url($"/volunteers/{transfer.NewVolunteerId}/statement"), Json.Options))!.Lines.Single();
        Assert.That((outLine.Kind, outLine.BalanceChange, outLine.Reference), Is.EqualTo((StatementEntryKind.TransferredOut, -135, (Guid?)transfer.NewVolunteerId)));
        Assert.That((inLine.Kind, inLine.BalanceChange, inLine.Reference), Is.EqualTo((StatementEntryKind.TransferredIn, 135, (Guid?)volunteer.Id)));

        var service = await next.RecordService(transfer.NewVolunteerId, (await next.AnElder()).Id, "home-visit", "2026-11-23T08:00:00+08:00", 30);
        Assert.That(service.StatusCode, Is.EqualTo(HttpStatusCode.Created), "they serve in the new community from today");
    }

    [Test]
    public async Task a_move_to_an_unknown_community_or_with_minutes_on_hold_is_refused()
    {
        var home = await Given.ACommunity();
        var volunteer = await home.AVolunteer();
        var elder = await home.AnElder();
        await home.AService(volunteer.Id, elder.Id, "2026-11-21T09:00:00+08:00", 60);
        var before = await home.EventCount();

        var nowhere = await home.Http.PostAsJsonAsync(home.Url($"/volunteers/{volunteer.Id}/transfer"), new { toCommunity = "no-such-place", recordedBy = "office-01" });
        await home.Http.PostAsJsonAsync(home.Url("/time-savings"), new { accountId = volunteer.Id, serviceType = "errands", minutes = 30, recordedBy = "self" });
        var withHold = await home.Http.PostAsJsonAsync(home.Url($"/volunteers/{volunteer.Id}/transfer"), new { toCommunity = (await Given.ACommunity()).Code, recordedBy = "office-01" });

        Assert.That((await nowhere.ReadProblem(HttpStatusCode.NotFound)).ErrorFields(), Is.EqualTo(new[] { "toCommunity" }));
        Assert.That((await withHold.ReadProblem(HttpStatusCode.UnprocessableEntity))["code"]!.GetValue<string>(), Is.EqualTo("open-requests"));
        Assert.That(await home.EventCount(), Is.EqualTo(before + 1), "only the time-savings request");
    }

    [Test]
    public async Task a_move_to_a_community_the_callers_key_does_not_cover_is_as_if_it_did_not_exist()
    {
        var home = await Given.ACommunity();
        var next = await Given.ACommunity();
        var volunteer = await home.AVolunteer();
        var issued = await (await home.Http.PostAsJsonAsync("/api/v1/keys",
            new { partner = "home-office", roles = new[] { "recorder" }, communities = new[] { home.Code }, recordedBy = "office-01" })).ReadCreated<TimeBank.Api.Partners.IssuedKeyResponse>();

        var moved = await TestHost.Factory.WithKey(issued.Key).PostAsJsonAsync(home.Url($"/volunteers/{volunteer.Id}/transfer"), new { toCommunity = next.Code, recordedBy = "office-01" });

        var problem = await moved.ReadProblem(HttpStatusCode.NotFound);
        Assert.That((problem["code"]!.GetValue<string>(), problem.ErrorFields().Single()), Is.EqualTo(("unknown-community", "toCommunity")));
        Assert.That(await home.EventCount(), Is.EqualTo(2));
    }
}
