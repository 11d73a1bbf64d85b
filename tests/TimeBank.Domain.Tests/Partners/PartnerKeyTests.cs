using TimeBank.Domain.Partners;
using TimeBank.Domain.Shared;

namespace TimeBank.Domain.Tests.Partners;

public class PartnerKeyTests
{
    private static readonly PartnerKey Admin = new(Guid.CreateVersion7(), "community-office", new string('0', 64), [PartnerRole.Admin], ["minle"], 50,
        new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero), null);

    private static Decision<PartnerKeyIssued> Issue(int requestsPerSecond) =>
        PartnerKeys.Issue(Admin, Guid.CreateVersion7(), "grid-system", new string('1', 64), [PartnerRole.Reader], ["minle"], requestsPerSecond, "office-01", TimeProvider.System);

    [Test]
    public void an_admin_issues_a_key_at_its_own_rate_at_most()
    {
        Assert.That(Issue(50).Event!.RequestsPerSecond, Is.EqualTo(50));
        var above = Issue(51);
        Assert.That((above.Rejection!.Code, above.Rejection.Field), Is.EqualTo(("beyond-own-rate", "requestsPerSecond")));
    }
}
