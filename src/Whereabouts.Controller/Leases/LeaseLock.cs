using System.Globalization;
using k8s.Models;
using Whereabouts.Controller.Kube;
using Whereabouts.Storage.Kubernetes.Api;

namespace Whereabouts.Controller.Leases;

/// <summary>
/// A coordination.k8s.io/v1 Lease used as a lock with the verbs the chart grants (get, create, update): whoever writes
/// it at the version it read holds it until it stops renewing for <see cref="Duration"/>. Clocks of different nodes are
/// compared only through the times written in the Lease, so a skew below <see cref="Duration"/> is harmless.
/// </summary>
internal sealed class LeaseLock
{
    private readonly KubernetesConnection _connection;
    private readonly TimeProvider _time;

    public LeaseLock(KubernetesConnection connection, string @namespace, string name, string identity, TimeSpan duration, TimeProvider time)
    {
        _connection = connection;
        Namespace = @namespace;
        Name = name;
        Identity = identity;
        Duration = duration;
        _time = time;
    }

    public string Namespace { get; }

    public string Name { get; }

    /// <summary>Who this replica is in <c>spec.holderIdentity</c>.</summary>
    public string Identity { get; }

    /// <summary>How long the lock stays held after its last renewal.</summary>
    public TimeSpan Duration { get; }

    /// <summary>
    /// Takes the lock for the run planned at <paramref name="occurrence"/>; false when another replica holds it or has
    /// already taken it for this occurrence (its acquire time is no earlier than the occurrence less the duration).
    /// </summary>
    public async Task<bool> TryAcquireAsync(DateTimeOffset occurrence, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var current = await GetAsync(cancellationToken);
        if (current is null)
        {
            return await CreateAsync(now, cancellationToken);
        }

        var spec = current.Spec ?? new V1LeaseSpec();
        var heldByOther = !string.Equals(spec.HolderIdentity, Identity, StringComparison.Ordinal) && !string.IsNullOrEmpty(spec.HolderIdentity);
        if (heldByOther && !IsExpired(spec, now))
        {
            return false;
        }

        if (heldByOther && spec.AcquireTime is { } acquired && Utc(acquired) >= occurrence - Duration)
        {
            return false;
        }

        var transitions = (spec.LeaseTransitions ?? 0) + (heldByOther ? 1 : 0);
        current.Spec = NewSpec(now, now, transitions);
        return await ReplaceAsync(current, cancellationToken);
    }

    /// <summary>Extends the hold; false when the lock was lost (taken over after it expired, or deleted).</summary>
    public async Task<bool> RenewAsync(CancellationToken cancellationToken)
    {
        var current = await GetAsync(cancellationToken);
        if (current?.Spec is not { } spec || !string.Equals(spec.HolderIdentity, Identity, StringComparison.Ordinal))
        {
            return false;
        }

        spec.RenewTime = _time.GetUtcNow().UtcDateTime;
        spec.LeaseDurationSeconds = DurationSeconds;
        return await ReplaceAsync(current, cancellationToken);
    }

    /// <summary>
    /// Gives the lock up, if this replica still holds it, so that another takes it at once instead of after
    /// <see cref="Duration"/> (as client-go's leader election does on a graceful stop: no holder, renewed now).
    /// False when it was not held by this replica, or was taken meanwhile.
    /// </summary>
    public async Task<bool> ReleaseAsync(CancellationToken cancellationToken)
    {
        var current = await GetAsync(cancellationToken);
        if (current?.Spec is not { } spec || !string.Equals(spec.HolderIdentity, Identity, StringComparison.Ordinal))
        {
            return false;
        }

        spec.HolderIdentity = null;
        spec.RenewTime = _time.GetUtcNow().UtcDateTime;
        spec.LeaseDurationSeconds = 1;
        return await ReplaceAsync(current, cancellationToken);
    }

    private int DurationSeconds => Math.Max(1, (int)Math.Ceiling(Duration.TotalSeconds));

    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));

    private static bool IsExpired(V1LeaseSpec spec, DateTimeOffset now)
    {
        var renewed = spec.RenewTime ?? spec.AcquireTime;
        return renewed is null || Utc(renewed.Value) + TimeSpan.FromSeconds(spec.LeaseDurationSeconds ?? 0) <= now;
    }

    private V1LeaseSpec NewSpec(DateTimeOffset acquired, DateTimeOffset renewed, int transitions) => new()
    {
        HolderIdentity = Identity,
        AcquireTime = acquired.UtcDateTime,
        RenewTime = renewed.UtcDateTime,
        LeaseDurationSeconds = DurationSeconds,
        LeaseTransitions = transitions,
    };

    private async Task<V1Lease?> GetAsync(CancellationToken cancellationToken)
    {
        var request = Request("get");
        var result = await _connection.SendAsync(
            request,
            (k, ct) => k.CoordinationV1.ReadNamespacedLeaseWithHttpMessagesAsync(Name, Namespace, cancellationToken: ct),
            cancellationToken);
        return result.IsNotFound ? null : KubeResults.Require(result, request);
    }

    private async Task<bool> CreateAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var lease = new V1Lease
        {
            ApiVersion = "coordination.k8s.io/v1",
            Kind = "Lease",
            Metadata = new V1ObjectMeta { Name = Name, NamespaceProperty = Namespace },
            Spec = NewSpec(now, now, 0),
        };
        var request = Request("create");
        var result = await _connection.SendAsync(
            request,
            (k, ct) => k.CoordinationV1.CreateNamespacedLeaseWithHttpMessagesAsync(lease, Namespace, cancellationToken: ct),
            cancellationToken);
        if (result.IsConflict)
        {
            return false;
        }

        KubeResults.Require(result, request);
        return true;
    }

    private async Task<bool> ReplaceAsync(V1Lease lease, CancellationToken cancellationToken)
    {
        // The resourceVersion read travels in the body, so a replica that wrote in between makes this a 409.
        var request = Request("update");
        var result = await _connection.SendAsync(
            request,
            (k, ct) => k.CoordinationV1.ReplaceNamespacedLeaseWithHttpMessagesAsync(lease, Name, Namespace, cancellationToken: ct),
            cancellationToken);
        if (result.IsConflict || result.IsNotFound)
        {
            return false;
        }

        KubeResults.Require(result, request);
        return true;
    }

    private KubeRequest Request(string verb) => new(verb, "leases", "coordination.k8s.io", Namespace, Name);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"Lease {Namespace}/{Name}");
}
