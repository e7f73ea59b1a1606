using System.Net.Sockets;

namespace Whereabouts.Agent.Server;

/// <summary>
/// Watches a connection whose request is being served for the plugin hanging up. A plugin sends one request and keeps
/// its end open until the answer; end of stream before that means it was killed (its runtime gave up on the pod) or it
/// stopped waiting and serves the call itself. Either way the work is for nobody, and an ADD left running could finish
/// after the runtime's DEL of the same container: <see cref="Token"/> is cancelled then.
/// </summary>
internal sealed class HangUpWatch : IDisposable
{
    private readonly CancellationTokenSource _request;
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _hungUp;

    public HangUpWatch(Socket connection, CancellationToken stopping)
    {
        _request = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _ = WatchAsync(connection);
    }

    /// <summary>Cancelled when the plugin hangs up or the agent stops.</summary>
    public CancellationToken Token => _request.Token;

    public bool HungUp => _hungUp;

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
        _request.Dispose();
    }

    private async Task WatchAsync(Socket connection)
    {
        var buffer = new byte[1];
        try
        {
            // 0 bytes: end of stream. A byte (a client that says more than its one request) is no hang-up; stop watching.
            if (await connection.ReceiveAsync(buffer, SocketFlags.None, _stop.Token) == 0)
            {
                HangUp();
            }
        }
        catch (SocketException)
        {
            HangUp();
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // The answer was written (or the agent stops): nothing to watch any more.
        }
    }

    private void HangUp()
    {
        _hungUp = true;
        try
        {
            _request.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Answered in the same instant.
        }
    }
}
