namespace Whereabouts.Deploy.Tests;

/// <summary>
/// The chart's RBAC against the code: every permission granted has a caller in <c>src/</c>, and every request the code
/// makes is granted. The rendered roles are compared with <see cref="ExpectedRbac"/> in DefaultRenderTests.
/// </summary>
public sealed class RbacDerivationTests
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Derived = ApiCallSites.Find(Path.Combine(RepositoryLayout.Root, "src"));

    [Fact]
    public void ClusterRole_GrantsExactlyWhatTheCodeCalls()
    {
        var derived = Derived.Keys.Where(static p => !p.StartsWith("coordination.k8s.io/", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);

        var uncalled = ExpectedRbac.ClusterPermissions.Except(derived, StringComparer.Ordinal).ToList();
        var ungranted = derived.Except(ExpectedRbac.ClusterPermissions, StringComparer.Ordinal).ToList();

        Assert.True(uncalled.Count == 0, "granted, but no code path calls it: " + string.Join(", ", uncalled));
        Assert.True(ungranted.Count == 0, "called, but not granted: " + string.Join(", ", ungranted.Select(p => $"{p} ({string.Join("; ", Derived[p])})")));
    }

    [Fact]
    public void LeaseRole_GrantsExactlyWhatTheLeaseLockCalls()
    {
        var derived = Derived.Keys.Where(static p => p.StartsWith("coordination.k8s.io/", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(ExpectedRbac.NamespacePermissions.ToHashSet(StringComparer.Ordinal), derived);
    }

    [Fact]
    public void Derivation_FindsTheKnownCallSitesAndNothingThatIsNotCalled()
    {
        Assert.Contains("WhereaboutsClient.cs: PatchPoolAsync", Derived["whereabouts.cni.cncf.io/ippools:patch"]);
        Assert.Contains("ClusterApi.cs: WatchPodsAsync", Derived["core/pods:watch"]);
        Assert.Contains("LeaseLock.cs: ReplaceAsync", Derived["coordination.k8s.io/leases:update"]);

        Assert.Contains("WhereaboutsClient.cs: TryReplaceNodeSlicePoolAsync", Derived["whereabouts.cni.cncf.io/nodeslicepools:update"]);
        Assert.Contains("WhereaboutsClient.cs: WatchNodeSlicePoolsAsync", Derived["whereabouts.cni.cncf.io/nodeslicepools:watch"]);
        Assert.Contains("WhereaboutsClient.cs: WatchPoolsAsync", Derived["whereabouts.cni.cncf.io/ippools:watch"]);
        Assert.Contains("ClusterApi.cs: WatchNodesAsync", Derived["core/nodes:watch"]);
        Assert.Contains("ClusterApi.cs: WatchNetworkDefinitionsAsync", Derived["k8s.cni.cncf.io/network-attachment-definitions:watch"]);

        // The node controller's Events are created, never patched, and nothing writes events.k8s.io.
        Assert.DoesNotContain(Derived.Keys, static p => p.StartsWith("events.k8s.io/", StringComparison.Ordinal) || p == "core/events:patch");
    }
}
