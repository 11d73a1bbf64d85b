namespace TimeBank.Domain.Services;

/// <summary>
/// A kind of service in the catalogue: its code, the longest a single record of it may last, and whether
/// its minutes are banked. A greeting call is short; nothing lasts more than a working day.
/// </summary>
public sealed record ServiceType(string Code, string ChineseName, int MaxMinutes, bool EarnsMinutes = true);

/// <summary>The catalogue every community starts with (see the domain: typical services and the six ones).</summary>
public static class ServiceCatalogue
{
    /// <summary>No single service record may last longer than this (8 hours).</summary>
    public const int AbsoluteMaxMinutes = 8 * 60;

    public static readonly IReadOnlyList<ServiceType> Default =
    [
        new("greeting-call", "问候电话", 60),
        new("home-visit", "上门看望", 240),
        new("haircut-shave", "理发剃须", 120),
        new("cleaning-laundry", "清洁洗衣", 240),
        new("meal-delivery", "送餐", 120),
        new("medicine-escort", "取药陪诊", AbsoluteMaxMinutes),
        new("household-repair", "家居维修", 240),
        new("errands", "代办跑腿", 240),
        new("smartphone-tutoring", "智能手机教学", 180),
        new("performance", "文艺演出", 240),
        new("alliance-activity", "季度联盟活动", AbsoluteMaxMinutes),
        new("festival-activity", "节日活动", AbsoluteMaxMinutes),
        new("birthday-visit", "生日慰问", 240),
    ];

    /// <summary>The catalogue's names in English, for reports labelled in English (a community's own types have only their Chinese name).</summary>
    public static readonly IReadOnlyDictionary<string, string> EnglishNames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["greeting-call"] = "Greeting call",
        ["home-visit"] = "Home visit",
        ["haircut-shave"] = "Haircut and shave",
        ["cleaning-laundry"] = "Cleaning and laundry",
        ["meal-delivery"] = "Meal delivery",
        ["medicine-escort"] = "Medicine and hospital escort",
        ["household-repair"] = "Household repair",
        ["errands"] = "Errands",
        ["smartphone-tutoring"] = "Smartphone tutoring",
        ["performance"] = "Performance",
        ["alliance-activity"] = "Quarterly alliance activity",
        ["festival-activity"] = "Festival activity",
        ["birthday-visit"] = "Birthday visit",
    };

    private static readonly Dictionary<string, ServiceType> ByCode = Default.ToDictionary(t => t.Code, StringComparer.Ordinal);

    public static ServiceType? Find(string? code) => code is not null && ByCode.TryGetValue(code, out var type) ? type : null;
}
