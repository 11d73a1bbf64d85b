using Marten;
using TimeBank.Api.Infrastructure.EventStore;
using TimeBank.Domain.Partners;

namespace TimeBank.Api.Partners;

public static class PartnersConfiguration
{
    /// <summary>
    /// Keys live in the default tenant, outside every community: one key may cover several. The snapshot is
    /// inline: a key works from the request after it is issued, and stops with the one after it is revoked.
    /// </summary>
    public static void ConfigurePartners(this StoreOptions options)
    {
        options.AddInlineSnapshot<PartnerKey>();
        options.Listeners.Add(new PartnerKeyChangeNotices());
    }

    /// <summary>The node's cache of keys and its listener for their changes (<see cref="PartnerKeyCache"/>).</summary>
    public static IServiceCollection AddPartnerKeyCache(this IServiceCollection services) =>
        services.AddSingleton<PartnerKeyCache>().AddHostedService(provider => provider.GetRequiredService<PartnerKeyCache>());
}
