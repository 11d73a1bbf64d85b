using Marten;
using TimeBank.Api.Infrastructure.EventStore;
using TimeBank.Domain.Elders;

namespace TimeBank.Api.Elders;

public static class EldersConfiguration
{
    /// <summary>The elder snapshot is inline: recording a service checks the elders it names right away.</summary>
    public static void ConfigureElders(this StoreOptions options) =>
        options.AddInlineSnapshot<Elder>();
}
