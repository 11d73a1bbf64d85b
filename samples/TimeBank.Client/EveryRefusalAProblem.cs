using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Abstractions.Store;
using TimeBank.Client.Generated.Models;

namespace TimeBank.Client;

/// <summary>
/// The service answers every refusal with the one RFC 7807 <see cref="Problem"/>, so every refusal is read as
/// that: Kiota alone reads a refusal's body only for the statuses the document lists for the operation, as the
/// type the document names. A refusal then always surfaces as a <see cref="Problem"/> with its status, code and
/// fields, never as a bare exception.
/// </summary>
public sealed class EveryRefusalAProblem(IRequestAdapter inner) : IRequestAdapter
{
    // Kiota's key for any status of 400 or more.
    private const string AnyStatus = "XXX";

    public ISerializationWriterFactory SerializationWriterFactory => inner.SerializationWriterFactory;

    public string? BaseUrl
    {
        get => inner.BaseUrl;
        set => inner.BaseUrl = value;
    }

    public void EnableBackingStore(IBackingStoreFactory backingStoreFactory) => inner.EnableBackingStore(backingStoreFactory);

    public Task<ModelType?> SendAsync<ModelType>(RequestInformation requestInfo, ParsableFactory<ModelType> factory, Dictionary<string, ParsableFactory<IParsable>>? errorMapping = null, CancellationToken cancellationToken = default)
        where ModelType : IParsable => inner.SendAsync(requestInfo, factory, WithProblems(errorMapping), cancellationToken);

    public Task<IEnumerable<ModelType>?> SendCollectionAsync<ModelType>(RequestInformation requestInfo, ParsableFactory<ModelType> factory, Dictionary<string, ParsableFactory<IParsable>>? errorMapping = null, CancellationToken cancellationToken = default)
        where ModelType : IParsable => inner.SendCollectionAsync(requestInfo, factory, WithProblems(errorMapping), cancellationToken);

    public Task<ModelType?> SendPrimitiveAsync<ModelType>(RequestInformation requestInfo, Dictionary<string, ParsableFactory<IParsable>>? errorMapping = null, CancellationToken cancellationToken = default) =>
        inner.SendPrimitiveAsync<ModelType>(requestInfo, WithProblems(errorMapping), cancellationToken);

    public Task<IEnumerable<ModelType>?> SendPrimitiveCollectionAsync<ModelType>(RequestInformation requestInfo, Dictionary<string, ParsableFactory<IParsable>>? errorMapping = null, CancellationToken cancellationToken = default) =>
        inner.SendPrimitiveCollectionAsync<ModelType>(requestInfo, WithProblems(errorMapping), cancellationToken);

    public Task SendNoContentAsync(RequestInformation requestInfo, Dictionary<string, ParsableFactory<IParsable>>? errorMapping = null, CancellationToken cancellationToken = default) =>
        inner.SendNoContentAsync(requestInfo, WithProblems(errorMapping), cancellationToken);

    public Task<T?> ConvertToNativeRequestAsync<T>(RequestInformation requestInfo, CancellationToken cancellationToken = default) =>
        inner.ConvertToNativeRequestAsync<T>(requestInfo, cancellationToken);

    private static Dictionary<string, ParsableFactory<IParsable>> WithProblems(Dictionary<string, ParsableFactory<IParsable>>? errorMapping) =>
        new() { [AnyStatus] = Problem.CreateFromDiscriminatorValue };
}
