namespace Whereabouts.Agent.Server;

/// <summary>
/// Runs the requests for one container one after another, in the order they arrived. A runtime sends a container's
/// DEL after its ADD failed or timed out, and that ADD may still be running here (its plugin was killed mid-request):
/// the DEL must see what the ADD wrote, or the address stays allocated to a container that no longer exists until the
/// reconciler's next pass. Requests for different containers never wait for each other.
/// </summary>
internal sealed class AttachmentOrder
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Turn> _turns = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="work"/> once every earlier request for <paramref name="containerId"/> is done.</summary>
    public async Task<T> RunAsync<T>(string containerId, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        Turn turn;
        lock (_gate)
        {
            if (!_turns.TryGetValue(containerId, out turn!))
            {
                turn = new Turn();
                _turns[containerId] = turn;
            }

            turn.Users++;
        }

        try
        {
            await turn.Gate.WaitAsync(cancellationToken);
            try
            {
                return await work();
            }
            finally
            {
                turn.Gate.Release();
            }
        }
        finally
        {
            lock (_gate)
            {
                if (--turn.Users == 0)
                {
                    _turns.Remove(containerId);
                    turn.Gate.Dispose();
                }
            }
        }
    }

    /// <summary>How many containers have requests waiting or running (for tests).</summary>
    public int Active
    {
        get
        {
            lock (_gate)
            {
                return _turns.Count;
            }
        }
    }

    private sealed class Turn
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public int Users { get; set; }
    }
}
