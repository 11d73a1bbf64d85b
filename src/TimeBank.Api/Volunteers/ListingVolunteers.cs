using Marten;
using TimeBank.Api.Communities;
using TimeBank.Api.Infrastructure.EventStore;
using TimeBank.Api.Infrastructure.Http;
using TimeBank.Api.People;
using TimeBank.Domain.Communities;
using TimeBank.Domain.Volunteers;
using Wolverine.Http;

namespace TimeBank.Api.Volunteers;

public static class ListVolunteersEndpoint
{
    /// <summary>The community's volunteers in the order they joined (enrolled or moved in), a page at a time.</summary>
    [WolverineGet("/api/v1/communities/{community}/volunteers", Name = "ListVolunteers")]
    [Tags("Volunteers")]
    public static async Task<Results<Ok<Page<VolunteerResponse>>, ProblemHttpResult>> List([NotBody] Community home, long? after, int? limit, IQuerySession session, CancellationToken cancellation)
    {
        var (refused, ids, next) = await CreationOrder.PageOfIdsAsync(
            session, after, limit, [typeof(VolunteerEnrolled), typeof(VolunteerTransferredIn)], cancellation);
        if (refused is not null) return refused;
        var volunteers = (await session.LoadManyAsync<Volunteer>(cancellation, ids)).ToDictionary(v => v.Id);
        var details = (await session.LoadManyAsync<PersonalDetails>(cancellation, ids)).ToDictionary(p => p.Id);
        var items = ids.Where(volunteers.ContainsKey).Select(id => VolunteerResponse.From(volunteers[id], details.GetValueOrDefault(id))).ToList();
        return TypedResults.Ok(new Page<VolunteerResponse>(items, next));
    }
}
