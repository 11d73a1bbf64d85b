using FluentValidation;

namespace TimeBank.Api.People;

/// <summary>The shape rules for personal data, shared by every request that carries it.</summary>
public static class PersonalDataRules
{
    public static IRuleBuilderOptions<T, string> PersonName<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().MaximumLength(50);

    public static IRuleBuilderOptions<T, string?> PhoneNumber<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Matches(@"^\+?[0-9][0-9 -]{4,18}[0-9]$").WithMessage("Use digits, spaces or hyphens, optionally after a leading +.");

    public static IRuleBuilderOptions<T, DateOnly?> BirthDate<T>(this IRuleBuilder<T, DateOnly?> rule, TimeProvider clock) =>
        rule.Must(date => date is null || (date.Value.Year >= 1900 && date.Value <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)))
            .WithMessage("A birth date lies between 1900 and today.");
}
