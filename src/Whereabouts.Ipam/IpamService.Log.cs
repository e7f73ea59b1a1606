using Microsoft.Extensions.Logging;
using Whereabouts.Core.Net;

namespace Whereabouts.Ipam;

public sealed partial class IpamService
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "allocated {Address} to pod {PodRef} interface {IfName} container {ContainerId} in pool {Pool} after {Retries} retries")]
    private static partial void LogAllocated(ILogger logger, Ip address, string podRef, string ifName, string containerId, string pool, int retries);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "pod {PodRef} interface {IfName} already holds {Address} in pool {Pool}; returned again")]
    private static partial void LogReused(ILogger logger, Ip address, string podRef, string ifName, string pool);

    [LoggerMessage(EventId = 102, Level = LogLevel.Debug, Message = "pool {Pool} changed while we wrote it; retry {Attempt}")]
    private static partial void LogConflict(ILogger logger, string pool, int attempt);

    [LoggerMessage(EventId = 103, Level = LogLevel.Debug, Message = "{Address} in pool {Pool} is reserved cluster-wide by pod {PodRef}; trying the next address")]
    private static partial void LogTakenElsewhere(ILogger logger, Ip address, string podRef, string pool);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "datastore error on {What}, retrying: {Error}")]
    private static partial void LogTransient(ILogger logger, string what, string error);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "released {Address} of pod {PodRef} interface {IfName} container {ContainerId} in pool {Pool}")]
    private static partial void LogReleased(ILogger logger, Ip address, string podRef, string ifName, string containerId, string pool);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "rolled back {Count} ranges of the failed allocation for container {ContainerId}")]
    private static partial void LogRolledBack(ILogger logger, int count, string containerId);

    [LoggerMessage(EventId = 107, Level = LogLevel.Error, Message = "could not roll back the failed allocation for container {ContainerId}; the runtime's DEL will retry: {Error}")]
    private static partial void LogRollbackFailed(ILogger logger, string containerId, string error);

    [LoggerMessage(EventId = 108, Level = LogLevel.Warning, Message = "could not delete reservation {Name}; the reconciler will free it: {Error}")]
    private static partial void LogReservationLeft(ILogger logger, string name, string error);

    [LoggerMessage(EventId = 109, Level = LogLevel.Information, Message = "garbage collection releases {Count} stale allocations of network {Network}")]
    private static partial void LogGarbage(ILogger logger, int count, string network);

    [LoggerMessage(EventId = 110, Level = LogLevel.Error, Message = "pool {Pool} has allocation keys that are not offsets; they are kept and never handed out: {Keys}")]
    private static partial void LogUnreadable(ILogger logger, string pool, string keys);
}
