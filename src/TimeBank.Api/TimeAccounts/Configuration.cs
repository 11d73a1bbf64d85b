using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using TimeBank.Api.Infrastructure.EventStore;
using TimeBank.Domain.Families;
using TimeBank.Domain.TimeAccounts;
using TimeBank.Domain.Volunteers;

namespace TimeBank.Api.TimeAccounts;

public static class TimeAccountsConfiguration
{
    /// <summary>
    /// One document per time-savings request, from the events on the account holder's stream. Inline: the
    /// delivery, cancellation and expiry of a request each decide on its state in the transaction that appends.
    /// </summary>
    public static void ConfigureTimeAccounts(this StoreOptions options)
    {
        options.AddInlineView<TimeSavingsRequest, ITimeSavingsEvent>(e => e.RequestId, TimeSavingsRequest.Evolve, typeof(TimeSavingsRequested));
        options.Schema.For<TimeSavingsRequest>().Index(r => r.AccountId);
    }
}

/// <summary>
/// A time account opened for writing: a volunteer's or a family member's stream, whichever holds the id.
/// Its version guards every movement of minutes, so concurrent spends cannot overdraw it.
/// </summary>
internal sealed class AccountStream
{
    private readonly IEventStream<Volunteer>? _volunteer;
    private readonly IEventStream<FamilyMember>? _family;

    private AccountStream(IEventStream<Volunteer>? volunteer, IEventStream<FamilyMember>? family)
    {
        _volunteer = volunteer;
        _family = family;
    }

    public Guid Id => _volunteer?.Aggregate?.Id ?? _family!.Aggregate!.Id;

    public TimeAccount Account => _volunteer?.Aggregate?.Account ?? _family!.Aggregate!.Account;

    public bool IsVolunteer => _volunteer is not null;

    /// <summary>Who may act for the holder: a volunteer's approved proxies; a family member's account has none.</summary>
    public IReadOnlyList<Guid> Proxies => _volunteer?.Aggregate?.Proxies ?? [];

    /// <summary>The account holder's stream, or null when no volunteer or family member has this id here.</summary>
    public static async Task<AccountStream?> OpenAsync(IDocumentSession session, Guid accountId, CancellationToken cancellation)
    {
        var volunteer = await session.Events.FetchForWriting<Volunteer>(accountId, cancellation);
        if (volunteer.Aggregate is not null) return new AccountStream(volunteer, null);
        var family = await session.Events.FetchForWriting<FamilyMember>(accountId, cancellation);
        return family.Aggregate is not null ? new AccountStream(null, family) : null;
    }

    /// <summary>
    /// The request and its account's stream, the request read again once the stream's version is taken: a change
    /// committed in between is seen, one committed after makes this write fail (never two decisions on one state).
    /// </summary>
    public static async Task<(TimeSavingsRequest? Request, AccountStream? Account)> OpenForRequestAsync(IDocumentSession session, Guid requestId, CancellationToken cancellation)
    {
        var request = await session.LoadAsync<TimeSavingsRequest>(requestId, cancellation);
        if (request is null) return (null, null);
        var account = await OpenAsync(session, request.AccountId, cancellation);
        return (await session.LoadAsync<TimeSavingsRequest>(requestId, cancellation), account);
    }

    public void Append(object @event)
    {
        if (_volunteer is not null) _volunteer.AppendOne(@event);
        else _family!.AppendOne(@event);
    }
}
