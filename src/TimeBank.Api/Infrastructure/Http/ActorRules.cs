using FluentValidation;

namespace TimeBank.Api.Infrastructure.Http;

/// <summary>The one shape rule for who recorded a write: the partner's reference for a person, never a name.</summary>
public static class ActorRules
{
    public const int MaxLength = 64;

    public static IRuleBuilderOptions<T, string> Recorder<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().MaximumLength(MaxLength);
}
