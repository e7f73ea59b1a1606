using Whereabouts.Testing.KubeApi.Storage;

namespace Whereabouts.Testing.KubeApi.Http;

/// <summary>Queues a BOOKMARK for one watcher at every interval until disposed.</summary>
internal sealed class PeriodicBookmarks : IDisposable
{
    private readonly CancellationTokenSource _stop;

    public PeriodicBookmarks(ObjectStore store, WatchSubscription subscription, TimeSpan interval, TimeProvider time, CancellationToken cancellationToken)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _ = RunAsync(store, subscription, interval, time, _stop.Token);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private static async Task RunAsync(ObjectStore store, WatchSubscription subscription, TimeSpan interval, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                store.Bookmark(subscription, initialEventsEnd: false);
            }
        }
        catch (OperationCanceledException)
        {
            // The watch ended.
        }
    }
}
