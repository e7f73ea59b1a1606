using Whereabouts.Core.Allocation;
using Whereabouts.Ipam.Errors;
using Whereabouts.Ipam.Stores;

namespace Whereabouts.Storage.File;

/// <summary>
/// The embedded datastore for a single host and the demo (<c>"datastore": "file"</c>): pools under
/// <c>&lt;data_dir&gt;/pools</c>, reservations under <c>&lt;data_dir&gt;/reservations</c>. Every allocation it holds
/// belongs to this host.
/// </summary>
public sealed class FileIpamStore : IIpamStore
{
    private readonly string _dataDir;

    public FileIpamStore(string dataDir, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDir);
        _dataDir = Path.GetFullPath(dataDir);
        var pools = new FilePoolStore(Path.Combine(_dataDir, "pools"));
        Pools = pools;
        Reservations = new FileReservationStore(Path.Combine(_dataDir, "reservations"), time ?? TimeProvider.System, pools.AnyPoolHolds);
    }

    public IPoolStore Pools { get; }

    public IReservationStore Reservations { get; }

    public Task CheckReachableAsync(CancellationToken cancellationToken)
    {
        var probe = Path.Combine(_dataDir, ".status-probe");
        try
        {
            EnsureDirectory(_dataDir);
            AtomicFile.Replace(probe, "ok"u8);
            System.IO.File.Delete(probe);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new StoreAccessDeniedException($"file datastore: {_dataDir} is not writable: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw AtomicFile.Unavailable($"{_dataDir} is not writable", ex);
        }

        return Task.CompletedTask;
    }

    /// <summary>Everything in a host-local store belongs to this host.</summary>
    public Task<AllocationPlacement> LocateAsync(PoolAllocation allocation, CancellationToken cancellationToken) =>
        Task.FromResult(AllocationPlacement.ThisHost);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    internal static void EnsureDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
