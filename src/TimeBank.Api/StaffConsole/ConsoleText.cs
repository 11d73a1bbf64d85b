using System.Globalization;
using TimeBank.Domain.Care;
using TimeBank.Domain.Elders;

namespace TimeBank.Api.StaffConsole;

/// <summary>
/// The console's words in the staff member's language: Chinese unless they switched to English (a cookie). Each
/// text is written in both languages where it is used (<see cref="T"/>); the API's refusals are put in words by
/// their stable code, so a problem reads in the page's language whatever the API's own detail says.
/// </summary>
public sealed class ConsoleText(IHttpContextAccessor http)
{
    public const string LanguageCookie = "timebank-console-lang";

    public bool English { get; } = http.HttpContext?.Request.Cookies[LanguageCookie] == "en";

    public string Language => English ? "en" : "zh";

    public CultureInfo Culture => CultureInfo.GetCultureInfo(English ? "en-GB" : "zh-CN");

    public string T(string chinese, string english) => English ? english : chinese;

    public string Number(int value) => value.ToString("N0", Culture);

    public string Date(DateOnly date) => English ? date.ToString("d MMM yyyy", Culture) : date.ToString("yyyy年M月d日", Culture);

    /// <summary>Minutes as hours and minutes (never as a clock time or a fraction).</summary>
    public string Minutes(int minutes) => (minutes / 60, minutes % 60) switch
    {
        (0, var m) => T($"{m} 分钟", $"{m} min"),
        (var h, 0) => T($"{Number(h)} 小时", $"{Number(h)} h"),
        var (h, m) => T($"{Number(h)} 小时 {m} 分", $"{Number(h)} h {m} min"),
    };

    public string Category(CareCategory category) => category switch
    {
        CareCategory.Comfortable => T("小康型", "comfortable"),
        CareCategory.LivingAlone => T("独居型", "living alone"),
        CareCategory.Disabled => T("失能型", "disabled"),
        CareCategory.Poor => T("贫困型", "poor"),
        _ => category.ToString(),
    };

    public string Rhythm(Rhythm rhythm) => rhythm switch
    {
        Domain.Care.Rhythm.DailyGreeting => T("一天一问候", "daily greeting"),
        Domain.Care.Rhythm.WeeklyVisit => T("一周一看望", "weekly visit"),
        Domain.Care.Rhythm.MonthlyService => T("一月一服务", "monthly service"),
        Domain.Care.Rhythm.QuarterlyActivity => T("一季一联盟", "quarterly activity"),
        Domain.Care.Rhythm.FestivalActivity => T("每节一活动", "festival activity"),
        Domain.Care.Rhythm.BirthdayVisit => T("生日一慰问", "birthday visit"),
        _ => rhythm.ToString(),
    };

    public string Festival(Festival festival) => festival switch
    {
        Domain.Care.Festival.SpringFestival => T("春节", "Spring Festival"),
        Domain.Care.Festival.LanternFestival => T("元宵节", "Lantern Festival"),
        Domain.Care.Festival.DragonBoatFestival => T("端午节", "Dragon Boat Festival"),
        Domain.Care.Festival.MidAutumnFestival => T("中秋节", "Mid-Autumn Festival"),
        Domain.Care.Festival.DoubleNinthFestival => T("重阳节", "Double Ninth Festival"),
        _ => festival.ToString(),
    };

    /// <summary>A refusal in words: the known codes in the page's language, else the API's own detail.</summary>
    public string Problem(ApiProblem problem)
    {
        var said = problem.Code switch
        {
            "validation" => T("填写的内容不完整或格式不对", "Some of what was entered is missing or not in the right form"),
            "invalid-api-key" or "missing-api-key" => T("密钥无效或已被吊销", "The key is not valid, or was revoked"),
            "too-many-failed-authentications" => T("无效密钥尝试过多，请稍后再试", "Too many tries with a wrong key; try again shortly"),
            "role-not-held" => T("您的密钥没有这项权限", "Your key does not hold the role for this"),
            "all-communities-key-required" => T("这项操作需要覆盖所有社区的密钥", "This needs a key for all communities"),
            "unknown-community" => T("没有这个社区，或您的密钥不覆盖它", "No such community, or your key does not cover it"),
            "rate-limited" => T("操作太频繁，请稍后再试", "Too many requests; try again in a second"),
            "insufficient-points" => T("积分不足", "Not enough points"),
            "out-of-stock" => T("库存不足", "Not enough stock"),
            "item-withdrawn" => T("这件物品已下架", "This item has been withdrawn"),
            "order-not-awaiting-pickup" => T("这个订单不在待领取状态", "This order is not awaiting pickup"),
            "order-expired" => T("这个订单已过期", "This order has expired"),
            "unknown-volunteer" => T("没有这位志愿者", "No such volunteer"),
            "unknown-elder" => T("没有这位老人", "No such elder"),
            "service-in-future" => T("服务时间不能晚于现在", "A service cannot start in the future"),
            "service-before-enrolment" => T("服务早于志愿者登记日期", "The service is before the volunteer was enrolled"),
            "service-after-leaving" => T("志愿者已离开本社区", "The volunteer has left the community"),
            "unknown-pickup-code" => T("没有待领取的订单使用这个核销码", "No order awaiting pickup has this code"),
            "quarter-not-over" => T("这个季度还没有结束", "This quarter is not over yet"),
            "quarters-close-in-order" => T("请先结算上一个季度", "Close the quarter before it first"),
            "views-catching-up" => T("数据还在更新，请几秒后再试", "The views are catching up; try again in a few seconds"),
            "quarter-not-closed" => T("这个季度还没有结算", "This quarter has not been closed"),
            "concurrent-change" => T("数据刚被别人修改，请再试一次", "Someone changed this at the same moment; try again"),
            "overlapping-service" => T("这位志愿者在这段时间已有服务记录", "The volunteer already has a service at that time"),
            "api-unreachable" => T("暂时连不上服务", "The service cannot be reached just now"),
            _ => null,
        };
        return said ?? (problem.Detail is { Length: > 0 } detail ? $"{T("未能完成", "Not done")}: {detail}" : T("未能完成", "Not done") + $" ({problem.Status})");
    }
}
