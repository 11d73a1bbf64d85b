using Microsoft.Extensions.Time.Testing;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Elders;

namespace TimeBank.Domain.Tests.Elders;

public class CareCategoryTests
{
    private static readonly CommunityCalendar Shanghai = CommunityCalendar.For("Asia/Shanghai");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero));

    [Test]
    public void a_change_of_category_keeps_the_earlier_ones_in_the_history()
    {
        var elder = Elder.Started(new ElderRegistered(Guid.CreateVersion7(), CareCategory.Comfortable, null, null, new DateOnly(2025, 1, 10), "grid-01", DateTimeOffset.UnixEpoch));

        var changed = ElderChanges.ChangeCategory(elder, CareCategory.Disabled, new DateOnly(2026, 9, 1), "grid-01", Shanghai, _clock).Event!;
        var after = Elder.Evolve(elder, changed)!;

        Assert.That(after.Category, Is.EqualTo(CareCategory.Disabled));
        Assert.That(after.CategoryHistory, Is.EqualTo(new[]
        {
            new CareCategoryPeriod(CareCategory.Comfortable, new DateOnly(2025, 1, 10)),
            new CareCategoryPeriod(CareCategory.Disabled, new DateOnly(2026, 9, 1)),
        }));
        Assert.That(ElderChanges.ChangeCategory(after, CareCategory.Disabled, null, "g", Shanghai, _clock).Rejection!.Code, Is.EqualTo("same-care-category"));
        Assert.That(ElderChanges.ChangeCategory(after, CareCategory.Poor, new DateOnly(2026, 8, 31), "g", Shanghai, _clock).Rejection!.Code, Is.EqualTo("change-before-current"));
    }
}
