namespace Whereabouts.Ipam.Stores;

/// <summary>Reads the NodeSlicePool objects that say which node allocates from which slice of a range.</summary>
public interface INodeSliceStore
{
    /// <summary>Where the NodeSlicePools live, for messages (a namespace).</summary>
    string Location { get; }

    /// <summary>The node this store serves, when it knows (<see cref="IpamOptions.NodeName"/> overrides it).</summary>
    string? NodeName { get; }

    /// <summary>The NodeSlicePool <paramref name="name"/>; null when it does not exist.</summary>
    Task<NodeSliceTable?> GetAsync(string name, CancellationToken cancellationToken);
}
