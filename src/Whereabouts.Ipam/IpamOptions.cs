namespace Whereabouts.Ipam;

/// <summary>Deadlines and retry pacing of the allocation service.</summary>
public sealed record IpamOptions
{
    /// <summary>The whole ADD, all ranges included. Upstream allowed 2 minutes, mostly spent waiting for its lock.</summary>
    public TimeSpan AddTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>The whole DEL.</summary>
    public TimeSpan DelTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A STATUS check.</summary>
    public TimeSpan StatusTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Rolling back a failed multi-range ADD; it runs after the ADD deadline may have passed.</summary>
    public TimeSpan RollbackTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>First retry delay; doubles per attempt up to <see cref="MaxBackoff"/>, fully jittered.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(5);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// After this many lost races in one allocation (the address it chose was claimed by another pod first), aim at a
    /// random address among the 32 lowest free ones instead of the lowest. 0 (the default) always takes the lowest,
    /// which suits a local datastore where a collision costs little; the plugin uses 2 for the Kubernetes datastore,
    /// where every collision costs round trips and a thousand pods starting at once would otherwise queue up.
    /// </summary>
    public int SpreadAfterCollisions { get; init; }

    /// <summary>
    /// When set (the node agent sets its node's name), a range shared by all nodes in which this process lately lost a
    /// race to another (see <see cref="SharedRangeContention"/>) is searched for a free address from a point this key
    /// chooses (from a random point after a further loss), wrapping around, instead of from its lowest address: agents of different nodes then fill different
    /// parts of one pool instead of all racing for the same lowest free address (which cost ten agents on one pool
    /// 3,574 lost reservation claims per 1,000 ADDs). Without contention, and always without a key (the plugin), the
    /// lowest free address first, as upstream. Node slices are always filled from their lowest address: only their node
    /// writes them.
    /// </summary>
    public string? SpreadKey { get; init; }

    /// <summary>
    /// Send the independent requests of one operation side by side (a DEL's reservation lookup beside its pool writes).
    /// For a process that keeps its connections warm (the node agent), it saves a round trip per DEL; a plugin process
    /// would open a second TLS connection for the second request in flight, which costs more than it saves (measured:
    /// the 1,000-pod delete round 1.5 to 2 s slower in direct mode, 2 ms more plugin CPU per DEL). Off by default.
    /// </summary>
    public bool OverlapRequests { get; init; }

    /// <summary>This node's name: in node-slice mode, addresses come from the slice the NodeSlicePool assigns to it.</summary>
    public string? NodeName { get; init; }

    public static IpamOptions Default { get; } = new();
}
