using TimeBank.Api.Elders;
using TimeBank.Api.Families;
using TimeBank.Domain.Elders;
using TimeBank.Domain.Families;

namespace TimeBank.Api.Tests.Elders;

public class CareRecordTests
{
    [Test]
    public async Task an_elder_is_registered_with_lunar_birthday_emergency_contact_and_grid_worker()
    {
        var community = await Given.ACommunity();
        var gridWorker = await community.AGridWorker();

        var created = await (await community.Http.PostAsJsonAsync(community.Url("/elders"), new
        {
            name = "张奶奶",
            phone = "0359-5551234",
            birthDate = "1938-02-11",
            lunarBirthday = new { month = 1, day = 12, leapMonth = false },
            address = "5号楼1单元302",
            compound = "民乐小区",
            careCategory = "disabled",
            gridWorkerId = gridWorker.Id,
            emergencyContact = new { name = "张强", phone = "13700000002" },
            recordedBy = "grid-01",
        })).ReadCreated<ElderResponse>();
        var read = await community.Http.GetFromJsonAsync<ElderResponse>(community.Url($"/elders/{created.Id}"), Json.Options);

        Assert.That(read!.LunarBirthday, Is.EqualTo(new LunarBirthday(1, 12)));
        Assert.That(read.EmergencyContact!.Phone, Is.EqualTo("13700000002"));
        Assert.That(read.GridWorkerId, Is.EqualTo(gridWorker.Id));
        Assert.That(read.Compound, Is.EqualTo("民乐小区"));
    }

    [Test]
    public async Task a_change_of_care_category_keeps_its_history()
    {
        var community = await Given.ACommunity();
        var elder = await community.AnElder(careCategory: "comfortable");

        var changed = await community.Http.PostAsJsonAsync(community.Url($"/elders/{elder.Id}/care-category"), new { careCategory = "disabled", recordedBy = "grid-01" });
        var same = await community.Http.PostAsJsonAsync(community.Url($"/elders/{elder.Id}/care-category"), new { careCategory = "disabled", recordedBy = "grid-01" });

        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await same.ReadProblem(HttpStatusCode.Conflict))["code"]!.GetValue<string>(), Is.EqualTo("same-care-category"));
        var read = await community.Http.GetFromJsonAsync<ElderResponse>(community.Url($"/elders/{elder.Id}"), Json.Options);
        Assert.That(read!.CareCategory, Is.EqualTo(CareCategory.Disabled));
        Assert.That(read.CareCategoryHistory.Select(p => p.Category), Is.EqualTo(new[] { CareCategory.Comfortable, CareCategory.Disabled }));
    }

    [Test]
    public async Task a_family_member_belongs_to_a_volunteer_or_elder_of_the_community()
    {
        var community = await Given.ACommunity();
        var elder = await community.AnElder();

        var son = await community.Http.PostAsJsonAsync(community.Url("/family-members"), new { name = "李小军", phone = "13600000003", relativeId = elder.Id, relationship = "child", recordedBy = "grid-01" });
        var stranger = await community.Http.PostAsJsonAsync(community.Url("/family-members"), new { name = "某人", relativeId = Guid.NewGuid(), relationship = "child", recordedBy = "grid-01" });

        var created = await son.ReadCreated<FamilyMemberResponse>();
        Assert.That((created.RelativeId, created.Relationship), Is.EqualTo((elder.Id, Relationship.Child)));
        Assert.That((await stranger.ReadProblem(HttpStatusCode.NotFound)).ErrorFields(), Is.EqualTo(new[] { "relativeId" }));
    }

    [Test]
    public async Task an_unknown_grid_worker_is_refused()
    {
        var community = await Given.ACommunity();
        var before = await community.EventCount();

        var response = await community.Http.PostAsJsonAsync(community.Url("/elders"), new { name = "李大爷", careCategory = "poor", gridWorkerId = Guid.NewGuid(), recordedBy = "grid-01" });

        Assert.That((await response.ReadProblem(HttpStatusCode.NotFound)).ErrorFields(), Is.EqualTo(new[] { "gridWorkerId" }));
        Assert.That(await community.EventCount(), Is.EqualTo(before));
    }
}
