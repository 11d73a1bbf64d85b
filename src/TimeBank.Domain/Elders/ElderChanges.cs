using TimeBank.Domain.Communities;
using TimeBank.Domain.Shared;

namespace TimeBank.Domain.Elders;

/// <summary>Decides changes to an elder's care record.</summary>
public static class ElderChanges
{
    public static Decision<ElderCareCategoryChanged> ChangeCategory(
        Elder elder, CareCategory to, DateOnly? since, string by, CommunityCalendar calendar, TimeProvider clock)
    {
        if (elder.Category == to) return Rejection.Conflict("same-care-category", "careCategory", $"The elder is already in the {to} category.");
        var today = calendar.Today(clock);
        var day = since ?? today;
        var current = elder.CategoryHistory[^1].Since;
        if (day > today) return Rejection.RuleBroken("change-in-future", "since", "A category change cannot start after today.");
        if (day < current) return Rejection.RuleBroken("change-before-current", "since", $"The current category holds since {current:yyyy-MM-dd}.");
        return new ElderCareCategoryChanged(elder.Id, elder.Category, to, day, by, clock.GetUtcNow());
    }
}
