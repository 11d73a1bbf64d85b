using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using FluentValidation;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using Wolverine.Http;
using Wolverine.Http.CodeGen;

namespace TimeBank.Api.Infrastructure.Http;

/// <summary>
/// Runs the FluentValidation validator of every endpoint's request body before the endpoint, answering
/// 400 with a problem response that names each bad field. An endpoint that takes a body without a
/// validator stops the service from starting, so no endpoint can skip validation.
/// </summary>
public sealed class RequestValidationPolicy : IHttpPolicy
{
    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains.Where(c => c.HasRequestType))
        {
            var requestType = chain.RequestType!;
            var validatorType = typeof(IValidator<>).MakeGenericType(requestType);
            if (!container.RegistrationsFor(validatorType).Any())
            {
                throw new InvalidOperationException(
                    $"The endpoint {chain.RoutePattern?.RawText} takes a {requestType.Name} but no IValidator<{requestType.Name}> is registered. Give the request a nested Validator.");
            }

            var method = typeof(RequestValidation).GetMethod(nameof(RequestValidation.ValidateAsync))!.MakeGenericMethod(requestType);
            var call = new MethodCall(typeof(RequestValidation), method) { CommentText = "Validate the request body (FluentValidation)" };
            chain.Middleware.InsertRange(0, [call, new MaybeEndWithResultFrame(call.ReturnVariable!)]);
            chain.Metadata.ProducesValidationProblem();
        }
    }
}

public static class RequestValidation
{
    /// <summary>Called by the generated code of every endpoint with a body.</summary>
    public static async Task<IResult> ValidateAsync<T>(IValidator<T> validator, T? request)
    {
        if (request is null)
        {
            return ProblemResponses.Validation("", "A JSON request body is required.");
        }

        var result = await validator.ValidateAsync(request);
        return result.IsValid ? WolverineContinue.Result() : ProblemResponses.Validation(ErrorsOf(result));
    }

    /// <summary>The failures of a validation by field, as problems report them.</summary>
    public static Dictionary<string, string[]> ErrorsOf(FluentValidation.Results.ValidationResult result) =>
        result.Errors.GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray());

    /// <summary>Names fields as the client wrote them: <c>elderIds[0]</c>, not <c>ElderIds[0]</c>.</summary>
    [SuppressMessage("Style", "IDE0060", Justification = "Signature required by FluentValidation.")]
    public static string? CamelCasePropertyName(Type type, System.Reflection.MemberInfo? member, System.Linq.Expressions.LambdaExpression? expression) =>
        member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);

    /// <summary>Global FluentValidation settings: camelCase field names, and one message per field (the first rule it breaks).</summary>
    public static void ConfigureFluentValidation()
    {
        // Later rules of a field may assume the earlier held (a list is not null before its items are counted).
        ValidatorOptions.Global.DefaultRuleLevelCascadeMode = CascadeMode.Stop;
        ValidatorOptions.Global.PropertyNameResolver = CamelCasePropertyName;
        ValidatorOptions.Global.DisplayNameResolver = CamelCasePropertyName;
    }
}
