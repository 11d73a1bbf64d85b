using FluentValidation;
using TimeBank.Domain.Elders;

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

    public static IRuleBuilderOptions<T, LunarBirthday?> LunarBirthday<T>(this IRuleBuilder<T, LunarBirthday?> rule) =>
        rule.Must(date => date is null || date.IsValid).WithMessage("A lunar birthday has a month from 1 to 12 and a day from 1 to 30.");

    public static void EmergencyContact<T>(this IRuleBuilderInitial<T, EmergencyContact?> rule) =>
        rule.ChildRules(contact =>
        {
            contact.RuleFor(c => c!.Name).PersonName();
            contact.RuleFor(c => c!.Phone).NotEmpty().PhoneNumber();
        });
}
