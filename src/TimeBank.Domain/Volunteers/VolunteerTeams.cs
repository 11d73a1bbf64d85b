namespace TimeBank.Domain.Volunteers;

/// <summary>A volunteer team (志愿服务队) by its code, with the names it is printed under.</summary>
public sealed record VolunteerTeam(string Code, string ChineseName, string EnglishName);

/// <summary>
/// The teams every community starts with (see the domain: a general care team, a smartphone tutoring team, a
/// time-bank team offering household services, an arts team). A community's own teams are named by their code.
/// </summary>
public static class VolunteerTeams
{
    public static readonly IReadOnlyList<VolunteerTeam> Default =
    [
        new("general-care", "综合关爱服务队", "General care team"),
        new("smartphone-tutoring", "智能手机教学服务队", "Smartphone tutoring team"),
        new("household-services", "时间银行家政服务队", "Household services team"),
        new("arts", "文艺服务队", "Arts team"),
    ];

    public static VolunteerTeam? Find(string? code) => Default.FirstOrDefault(t => t.Code == code);
}
