using Microsoft.Kiota.Abstractions.Serialization;

namespace TimeBank.Client.Generated.Models;

/// <summary>
/// The model Kiota makes of an answer the OpenAPI document does not describe (see DocumentGaps.cs). Holding
/// additional data, it keeps the fields the service sent (Kiota's parser puts every undeclared field there)
/// instead of dropping them. It goes with DocumentGaps.cs once every answer is described.
/// </summary>
public partial class IResult : IAdditionalDataHolder
{
    public IDictionary<string, object> AdditionalData { get; set; } = new Dictionary<string, object>();
}
