using FluentValidation;
using Marten;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.Partners;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Partners;
using Wolverine.Http;

namespace TimeBank.Api.Communities;

/// <summary>Register a community so that its volunteers, elders and services can be recorded.</summary>
/// <param name="Code">Lowercase letters, digits and hyphens, e.g. <c>minle</c>; it appears in every URL of the community.</param>
/// <param name="TimeZone">IANA time zone in which the community counts its days; Asia/Shanghai when left out.</param>
/// <param name="County">The county's code (e.g. <c>jishan</c>), to read it together with the county's other communities.</param>
/// <param name="RecordedBy">The person at the partner system who registers it.</param>
public sealed record RegisterCommunity(string Code, string Name, string? TimeZone, string? County, string RecordedBy) : IExampleRequest<RegisterCommunity>
{
    public static RegisterCommunity Example => new("taiyuan-yingze-01", "迎泽社区", "Asia/Shanghai", "yingze-district", "county-office-01");

    public sealed class Validator : AbstractValidator<RegisterCommunity>
    {
        public Validator()
        {
            RuleFor(c => c.Code).NotEmpty().Must(CommunityCode.IsValid)
                .WithMessage($"Use 1 to {CommunityCode.MaxLength} lowercase letters, digits or inner hyphens.");
            RuleFor(c => c.Name).NotEmpty().MaximumLength(100);
            RuleFor(c => c.TimeZone).Must(CommunityCalendar.IsKnownTimeZone).When(c => c.TimeZone is not null)
                .WithMessage("Use an IANA time zone such as Asia/Shanghai.");
            RuleFor(c => c.County).Must(CommunityCode.IsValid).When(c => c.County is not null).WithMessage("Use a code of lowercase letters, digits and hyphens.");
            RuleFor(c => c.RecordedBy).Recorder();
        }
    }
}

public static class RegisterCommunityEndpoint
{
    [WolverinePost("/api/v1/communities", Name = "RegisterCommunity")]
    [RequiresRole(PartnerRole.Admin)]
    [AllCommunities]
    [Tags("Communities")]
    public static async Task<Results<Created<CommunityResponse>, ProblemHttpResult>> Post(RegisterCommunity command, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        // The community's own records live under its code as tenant; written through the request's session, so
        // that they commit in its transaction.
        var community = session.ForTenant(command.Code);
        var existing = await community.LoadCommunityAsync(command.Code, cancellation);

        var decision = CommunityRegistration.Decide(command.Code, command.Name, command.TimeZone, command.County, command.RecordedBy, existing, clock);
        if (decision.Rejection is { } rejection) return ProblemResponses.From(rejection);

        var registered = decision.Event!;
        community.Events.StartStream<Community>(registered.CommunityId, registered);
        return TypedResults.Created($"/api/v1/communities/{registered.Code}", CommunityResponse.From(Community.Started(registered)));
    }
}
