namespace TimeBank.Api.Infrastructure.Http;

/// <summary>
/// A request body that carries an example of itself, shown with its endpoint in the OpenAPI document. The
/// example is typed, so it follows the request when it changes, and a test checks that it passes the
/// request's own validation.
/// </summary>
public interface IExampleRequest<out TSelf>
    where TSelf : IExampleRequest<TSelf>
{
    static abstract TSelf Example { get; }
}

/// <summary>The ids the examples use, one per kind of thing, so that examples read as one story.</summary>
public static class ExampleIds
{
    public static readonly Guid Volunteer = Guid.Parse("0195a1b2-7c3d-7e4f-8a5b-6c7d8e9f0a11");
    public static readonly Guid OtherVolunteer = Guid.Parse("0195a1b2-7c3d-7e4f-8a5b-6c7d8e9f0a12");
    public static readonly Guid Elder = Guid.Parse("0195a1b2-7c3d-7e4f-8a5b-6c7d8e9f0a21");
    public static readonly Guid GridWorker = Guid.Parse("0195a1b2-7c3d-7e4f-8a5b-6c7d8e9f0a31");
    public static readonly Guid FamilyMember = Guid.Parse("0195a1b2-7c3d-7e4f-8a5b-6c7d8e9f0a41");
    public static readonly Guid Service = Guid.Parse("0195a1b2-7c3d-7e4f-8a5b-6c7d8e9f0a51");
    public static readonly Guid Order = Guid.Parse("0195a1b2-7c3d-7e4f-8a5b-6c7d8e9f0a61");
    public static readonly Guid Item = Guid.Parse("0195a1b2-7c3d-7e4f-8a5b-6c7d8e9f0a71");

    /// <summary>A morning in Shanghai time, as every time is sent: with its offset.</summary>
    public static readonly DateTimeOffset Morning = new(2026, 11, 23, 9, 30, 0, TimeSpan.FromHours(8));

    public static readonly DateOnly Day = new(2026, 11, 23);
}
