using Marten;
using Marten.Services;
using TimeBank.Domain.Services;

namespace TimeBank.Api.Infrastructure.Telemetry;

/// <summary>
/// Counts deposits as they are committed, from the events themselves: whichever endpoint or handler records
/// a service (one, many at once, a delivery), the figure is the same, and a refused or rolled-back write counts nothing.
/// </summary>
public sealed class DepositCounting : DocumentSessionListenerBase
{
    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        foreach (var stored in commit.GetEvents())
        {
            if (stored.Data is not ServiceRecorded recorded) continue;
            var community = new KeyValuePair<string, object?>("community", stored.TenantId);
            TimeBankMetrics.Deposits.Add(1, community);
            TimeBankMetrics.DepositedMinutes.Add(recorded.MinutesBanked, community);
        }

        return Task.CompletedTask;
    }
}
