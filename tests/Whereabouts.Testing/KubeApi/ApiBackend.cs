using Whereabouts.Testing.KubeApi.Operations;
using Whereabouts.Testing.KubeApi.Resources;
using Whereabouts.Testing.KubeApi.Storage;

namespace Whereabouts.Testing.KubeApi;

/// <summary>Everything behind the HTTP surface: resources, storage and the operations on them.</summary>
internal sealed class ApiBackend
{
    public ApiBackend(ResourceCatalog catalog, KubeApiServerOptions options, CancellationToken stopping)
    {
        Catalog = catalog;
        Options = options;
        Store = new ObjectStore(catalog.All, options.WatchHistoryCapacity, options.MaxObjectBytes, options.WatchBufferSize);
        Reader = new ResourceReader(Store);
        Writer = new ResourceWriter(Store, catalog, options);
        Deleter = new ResourceDeleter(Store, options, stopping);
    }

    public ResourceCatalog Catalog { get; }

    public KubeApiServerOptions Options { get; }

    public ObjectStore Store { get; }

    public ResourceReader Reader { get; }

    public ResourceWriter Writer { get; }

    public ResourceDeleter Deleter { get; }
}
