using Microsoft.AspNetCore.Components;

namespace TimeBank.Api.StaffConsole;

/// <summary>
/// What every console page shares: the request it renders for (static server rendering always has one), the
/// signed-in staff member, their words, and calls to the API in their community with their key.
/// </summary>
public abstract class ConsolePage : ComponentBase
{
    [CascadingParameter]
    public HttpContext HttpContext { get; set; } = default!;

    [Inject]
    public ConsoleText Text { get; set; } = default!;

    [Inject]
    public ConsoleApi Api { get; set; } = default!;

    [Inject]
    public NavigationManager Navigation { get; set; } = default!;

    [Inject]
    public TimeProvider Clock { get; set; } = default!;

    /// <summary>The refusal to show on the page, in the staff member's words.</summary>
    protected string? Refusal { get; set; }

    protected StaffMember Staff => StaffMember.Of(HttpContext.User) ?? throw new InvalidOperationException("The page needs a signed-in staff member.");

    protected CancellationToken Aborted => HttpContext.RequestAborted;

    protected string T(string chinese, string english) => Text.T(chinese, english);

    /// <summary>A path of the API inside the staff member's community.</summary>
    protected string InCommunity(string path) => $"/api/v1/communities/{Uri.EscapeDataString(Staff.Community)}{path}";

    /// <summary>A moment as the community's clocks show it, with its offset (the API answers instants in UTC).</summary>
    protected async Task<Func<DateTimeOffset, string>> CommunityClockAsync()
    {
        var zone = await CommunityZoneAsync();
        return moment => TimeZoneInfo.ConvertTime(moment, zone).ToString("yyyy-MM-dd HH:mm zzz", Text.Culture);
    }

    /// <summary>The community's time zone: its days are the ones staff speak of.</summary>
    protected async Task<TimeZoneInfo> CommunityZoneAsync()
    {
        var community = await ReadAsync<Communities.CommunityResponse>(InCommunity(""));
        return community is null ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(community.TimeZone);
    }

    /// <summary>The community's day of a moment.</summary>
    protected static DateOnly DayIn(TimeZoneInfo zone, DateTimeOffset moment) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(moment, zone).DateTime);

    /// <summary>A fresh Idempotency-Key for a form about to be shown: each submission of it is one request, however often it is sent.</summary>
    protected static string NewSubmissionKey() => Guid.NewGuid().ToString();

    /// <summary>A read; on a refusal the page shows it (and a key no longer valid signs the staff member out).</summary>
    protected async Task<T?> ReadAsync<T>(string path)
    {
        var answer = await Api.GetAsync<T>(Staff.Key, path, Aborted);
        return await KeptAsync(answer) ? answer.Value : default;
    }

    protected async Task<List<T>> ReadAllAsync<T>(string path)
    {
        var answer = await Api.AllPagesAsync<T>(Staff.Key, path, Aborted);
        return await KeptAsync(answer) ? answer.Value! : [];
    }

    /// <summary>A write with the form's Idempotency-Key; null when refused (the refusal is shown).</summary>
    protected async Task<T?> WriteAsync<T>(string path, object body, string submissionKey)
    {
        var answer = await Api.PostAsync<T>(Staff.Key, path, body, submissionKey, Aborted);
        return await KeptAsync(answer) ? answer.Value : default;
    }

    private async Task<bool> KeptAsync<T>(ApiAnswer<T> answer)
    {
        if (answer.Problem is not { } problem) return true;
        if (problem.Status == StatusCodes.Status401Unauthorized)
        {
            // The key was revoked since sign-in: the console must not keep acting with it.
            await ConsoleSetup.SignOutAsync(HttpContext);
        }

        Refusal ??= Text.Problem(problem);
        return false;
    }
}
