using System.Runtime.ExceptionServices;

namespace Whereabouts.Controller.NodeController;

/// <summary>Runs parts that live as long as the controller: when one fails, the others are stopped and its failure is thrown.</summary>
internal static class TaskGroup
{
    public static async Task RunAsync(CancellationToken cancellationToken, params Func<CancellationToken, Task>[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = parts.Select(part => GuardAsync(part, stop)).ToList();
        await Task.WhenAll(running).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        // The first real failure, not the cancellations it caused in the other parts.
        var failure = running.Select(static t => t.Exception?.InnerException).FirstOrDefault(static e => e is not null);
        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    private static async Task GuardAsync(Func<CancellationToken, Task> part, CancellationTokenSource stop)
    {
        try
        {
            await part(stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped, by the caller or because another part failed.
        }
        catch
        {
            await stop.CancelAsync();
            throw;
        }
    }
}
