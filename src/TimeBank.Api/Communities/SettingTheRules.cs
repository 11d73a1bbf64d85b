using FluentValidation;
using Marten;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.Partners;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Partners;
using TimeBank.Domain.Services;
using TimeBank.Domain.Shared;
using Wolverine.Http;

namespace TimeBank.Api.Communities;

/// <summary>Set the community's time-bank rules (they apply to what is recorded from now on).</summary>
/// <param name="LateRecordGraceDays">
/// For how many days after a volunteer left (a departure or a move) a service they started before leaving may
/// still be recorded; 0 (the default): none.
/// </param>
public sealed record SetTimeBankRules(
    int? MaxBankedMinutes,
    int? DailyBankedMinutesCap,
    IReadOnlyList<string>? NonEarningServiceTypes,
    int HoldExpiryHours,
    bool GiftsToFamilyAllowed,
    string RecordedBy,
    int LateRecordGraceDays = 0) : IExampleRequest<SetTimeBankRules>
{
    public static SetTimeBankRules Example => new(6000, 480, ["performance"], 72, true, "office-01", 7);

    public sealed class Validator : AbstractValidator<SetTimeBankRules>
    {
        public Validator()
        {
            RuleFor(c => c.MaxBankedMinutes).GreaterThan(0);
            RuleFor(c => c.DailyBankedMinutesCap).InclusiveBetween(1, 24 * 60);
            RuleForEach(c => c.NonEarningServiceTypes).NotEmpty().MaximumLength(40);
            RuleFor(c => c.HoldExpiryHours).InclusiveBetween(1, 24 * 90);
            RuleFor(c => c.LateRecordGraceDays).InclusiveBetween(0, TimeBankRules.MaxLateRecordGraceDays);
            RuleFor(c => c.RecordedBy).Recorder();
        }
    }
}

/// <summary>Add a service type of the community's own to the catalogue.</summary>
public sealed record AddServiceType(string Code, string ChineseName, int MaxMinutes, bool EarnsMinutes, string RecordedBy) : IExampleRequest<AddServiceType>
{
    public static AddServiceType Example => new("foot-massage", "足部按摩", 60, true, "office-01");

    public sealed class Validator : AbstractValidator<AddServiceType>
    {
        public Validator()
        {
            RuleFor(c => c.Code).NotEmpty().Matches("^[a-z0-9][a-z0-9-]{0,39}$").WithMessage("Use lowercase letters, digits and hyphens.");
            RuleFor(c => c.ChineseName).NotEmpty().MaximumLength(40);
            RuleFor(c => c.MaxMinutes).GreaterThan(0);
            RuleFor(c => c.RecordedBy).Recorder();
        }
    }
}

/// <summary>A service type of the catalogue.</summary>
public sealed record ServiceTypeResponse(string Code, string ChineseName, int MaxMinutes, bool EarnsMinutes, bool CommunityOwn);

public static class CommunityRulesEndpoints
{
    [WolverinePost("/api/v1/communities/{community}/rules", Name = "SetTimeBankRules")]
    [VersionedResource]
    [RequiresRole(PartnerRole.Admin)]
    [Tags("Communities")]
    public static async Task<Results<Ok<CommunityResponse>, ProblemHttpResult>> SetRules(
        string community, SetTimeBankRules command, HttpContext context, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var rules = new TimeBankRules(command.MaxBankedMinutes, command.DailyBankedMinutesCap, command.NonEarningServiceTypes ?? [],
            command.HoldExpiryHours, command.GiftsToFamilyAllowed, command.LateRecordGraceDays);
        return await CommunityStream.ChangeAsync(context, session, community, cancellation, c => CommunityRulesChanges.SetRules(c, rules, command.RecordedBy, clock));
    }

    [WolverinePost("/api/v1/communities/{community}/service-types", Name = "AddServiceType")]

    [VersionedResource]
    [RequiresRole(PartnerRole.Admin)]
    [Tags("Communities")]
    public static async Task<Results<Ok<CommunityResponse>, ProblemHttpResult>> AddType(
        string community, AddServiceType command, HttpContext context, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var type = new ServiceType(command.Code, command.ChineseName, command.MaxMinutes, command.EarnsMinutes);
        return await CommunityStream.ChangeAsync(context, session, community, cancellation, c => CommunityRulesChanges.AddServiceType(c, type, command.RecordedBy, clock));
    }

    /// <summary>The community's service catalogue: every type it records, with its Chinese name, its longest service and whether it earns minutes.</summary>
    [WolverineGet("/api/v1/communities/{community}/service-types", Name = "ListServiceTypes")]
    [Tags("Communities")]
    public static async Task<Results<Ok<IEnumerable<ServiceTypeResponse>>, ProblemHttpResult>> ListTypes([NotBody] Community found, IQuerySession session, CancellationToken cancellation)
    {
        var own = found.OwnServiceTypes.ToHashSet();
        return TypedResults.Ok(found.ServiceTypes.Select(t => new ServiceTypeResponse(t.Code, t.ChineseName, t.MaxMinutes, t.EarnsMinutes, own.Contains(t))));
    }
}
