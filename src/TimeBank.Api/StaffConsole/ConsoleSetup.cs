using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using TimeBank.Api.Infrastructure.Settings;
using TimeBank.Domain.Partners;

namespace TimeBank.Api.StaffConsole;

/// <summary>
/// The staff console at <c>/console</c>: Razor components rendered on the server (static rendering, plain HTML
/// forms, no script), signed in with a partner key kept in an encrypted HTTP-only cookie. It reads and writes
/// only through the service's own API (<see cref="ConsoleApi"/>), so it is one more partner, not a second way in.
/// </summary>
public static class ConsoleSetup
{
    public const string BasePath = "/console";
    public const string SignInPath = "/console/sign-in";
    public const string Scheme = "TimeBank.Console";

    /// <summary>The roles (as page authorization reads them) that open each part of the console.</summary>
    public const string GridWorkerRoles = "recorder,admin";
    public const string CounterRoles = "store,admin";
    public const string OfficeRoles = "admin";
    public const string ReportRoles = "auditor,admin";
    public const string AuditorRoles = "auditor,admin";

    public static WebApplicationBuilder AddStaffConsole(this WebApplicationBuilder builder, ConsoleSettings settings)
    {
        builder.Services.AddRazorComponents();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<ConsoleText>();
        // The API logs every request it answers; the console's side of the same calls would only repeat them.
        builder.Services.AddHttpClient(ConsoleApi.ClientName, client => client.Timeout = TimeSpan.FromSeconds(100)).RemoveAllLoggers();
        builder.Services.AddSingleton<ConsoleApi>();

        // The keys that encrypt the cookies live in a directory, never only in memory (a restart would sign everyone
        // out and break every form in flight) and not in the ledger's database beside what they protect. Every node
        // names the same directory and application name, so a cookie made by one node opens on another.
        builder.Services.AddDataProtection()
            .SetApplicationName("TimeBank")
            .PersistKeysToFileSystem(new DirectoryInfo(settings.KeyRing(builder.Environment.ContentRootPath)));

        builder.Services.AddAuthentication(Scheme).AddCookie(Scheme, cookie =>
        {
            cookie.Cookie.Name = "timebank-console";
            cookie.Cookie.Path = BasePath;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.LoginPath = SignInPath;
            cookie.AccessDeniedPath = "/console/not-allowed";
            cookie.ExpireTimeSpan = TimeSpan.FromHours(10);
            cookie.SlidingExpiration = true;
        });
        builder.Services.AddAuthorization();
        builder.Services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "timebank-console-antiforgery";
            antiforgery.Cookie.Path = BasePath;
        });
        return builder;
    }

    public static WebApplication MapStaffConsole(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        // Neither the pages nor these two helpers are part of the REST API: none is in its OpenAPI document.
        app.MapGet("/console/language/{language}", (string language, string? back, HttpContext context) =>
        {
            context.Response.Cookies.Append(ConsoleText.LanguageCookie, language == "en" ? "en" : "zh",
                new CookieOptions { Path = BasePath, HttpOnly = true, SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromDays(365) });
            // Only back into the console: never an open redirect.
            return Results.LocalRedirect(back is { } b && b.StartsWith(BasePath, StringComparison.Ordinal) && !b.StartsWith("//", StringComparison.Ordinal) ? b : BasePath);
        }).ExcludeFromDescription();

        app.MapGet("/console/reports/{quarter}/{format}", async (string quarter, string format, string? table, HttpContext context, ConsoleApi api, ConsoleText text) =>
        {
            if (StaffMember.Of(context.User) is not { } staff) return Results.Challenge();
            if (format is not ("html" or "csv")) return Results.NotFound();
            var tablePart = table is { Length: > 0 } ? $"&table={Uri.EscapeDataString(table)}" : "";
            var answer = await api.GetFileAsync(staff.Key,
                $"/api/v1/communities/{Uri.EscapeDataString(staff.Community)}/reports/quarterly/{Uri.EscapeDataString(quarter)}?format={format}&lang={text.Language}{tablePart}",
                context.RequestAborted);
            if (answer.Problem is { } problem) return Results.Text(text.Problem(problem), "text/plain; charset=utf-8", statusCode: problem.Status is >= 400 ? problem.Status : 502);
            var (body, mediaType) = answer.Value;
            var name = format == "html" ? null : $"{staff.Community}-{quarter}{(table is { Length: > 0 } ? "-" + table : "")}.{(mediaType.StartsWith("application/zip", StringComparison.Ordinal) ? "zip" : "csv")}";
            return Results.File(body, mediaType, name);
        }).RequireAuthorization(policy => policy.RequireRole(ReportRoles.Split(','))).ExcludeFromDescription();

        app.MapRazorComponents<ConsoleApp>().ExcludeFromDescription();
        return app;
    }

    /// <summary>Signs the staff member in: the cookie holds their key, encrypted with the shared key ring.</summary>
    public static Task SignInAsync(HttpContext context, StaffMember staff) =>
        context.SignInAsync(Scheme, staff.ToPrincipal(Scheme), new AuthenticationProperties { IsPersistent = false });

    public static Task SignOutAsync(HttpContext context) => context.SignOutAsync(Scheme);

    public static string RolesOf(IEnumerable<PartnerRole> roles) => string.Join(',', roles.Select(StaffMember.RoleName));
}
