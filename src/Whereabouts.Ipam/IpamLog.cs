using Microsoft.Extensions.Logging;
using Whereabouts.Core.Net;

namespace Whereabouts.Ipam;

/// <summary>The log messages of the allocation engine: the assembly's one table of event ids (100-199).</summary>
internal static partial class IpamLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "allocated {Address} to pod {PodRef} interface {IfName} container {ContainerId} in pool {Pool} after {Retries} retries")]
    public static partial void Allocated(ILogger logger, Ip address, string podRef, string ifName, string containerId, string pool, int retries);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "pod {PodRef} interface {IfName} already holds {Address} in pool {Pool}; returned again")]
    public static partial void Reused(ILogger logger, Ip address, string podRef, string ifName, string pool);

    [LoggerMessage(EventId = 102, Level = LogLevel.Debug, Message = "pool {Pool} changed while we wrote it; retry {Attempt}")]
    public static partial void Conflict(ILogger logger, string pool, int attempt);

    [LoggerMessage(EventId = 103, Level = LogLevel.Debug, Message = "{Address} in pool {Pool} is reserved cluster-wide by pod {PodRef}; trying the next address")]
    public static partial void TakenElsewhere(ILogger logger, Ip address, string podRef, string pool);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "datastore error on {What}, retrying: {Error}")]
    public static partial void Transient(ILogger logger, string what, string error);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "released {Address} of pod {PodRef} interface {IfName} container {ContainerId} in pool {Pool}")]
    public static partial void Released(ILogger logger, Ip address, string podRef, string ifName, string containerId, string pool);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "rolled back {Count} ranges of the failed allocation for container {ContainerId}")]
    public static partial void RolledBack(ILogger logger, int count, string containerId);

    [LoggerMessage(EventId = 107, Level = LogLevel.Error, Message = "could not roll back the failed allocation for container {ContainerId}; the runtime's DEL will retry: {Error}")]
    public static partial void RollbackFailed(ILogger logger, string containerId, string error);

    [LoggerMessage(EventId = 108, Level = LogLevel.Warning, Message = "could not delete reservation {Name}; the reconciler will free it: {Error}")]
    public static partial void ReservationLeft(ILogger logger, string name, string error);

    [LoggerMessage(EventId = 109, Level = LogLevel.Information, Message = "garbage collection releases {Count} stale allocations of network {Network}")]
    public static partial void Garbage(ILogger logger, int count, string network);

    [LoggerMessage(EventId = 110, Level = LogLevel.Error, Message = "pool {Pool} has allocation keys that are not offsets; they are kept and never handed out: {Keys}")]
    public static partial void Unreadable(ILogger logger, string pool, string keys);

    [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "deleted reservation {Name} of container {ContainerId} interface {IfName}, left without a pool entry by an earlier attempt")]
    public static partial void OrphanReservationDeleted(ILogger logger, string name, string containerId, string ifName);

    [LoggerMessage(EventId = 112, Level = LogLevel.Debug, Message = "garbage collection keeps {Count} stale allocations of network {Network}: their pods live on other nodes, or where they run is unknown")]
    public static partial void GarbageKept(ILogger logger, int count, string network);

    [LoggerMessage(EventId = 113, Level = LogLevel.Warning, Message = "releasing without a node slice of NodeSlicePool {Pool}; the reconciler frees what a slice pool still holds: {Error}")]
    public static partial void NoSliceOnRelease(ILogger logger, string pool, string error);
}
