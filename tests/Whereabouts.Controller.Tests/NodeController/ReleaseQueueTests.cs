using Whereabouts.Controller.NodeController;

namespace Whereabouts.Controller.Tests.NodeController;

public sealed class ReleaseQueueTests
{
    private static readonly TrackedPod Web = new("default", "web-0", "u1", [new NetworkRef("default", "net1")]);

    [Fact]
    public async Task Enqueue_SamePodTwice_OnceUntilDone()
    {
        var queue = new ReleaseQueue(TimeProvider.System);
        var lengths = new List<int>();
        queue.LengthChanged += lengths.Add;

        Assert.True(queue.Enqueue(Web));
        Assert.False(queue.Enqueue(Web with { Networks = [] }));
        var (pod, attempt) = await queue.DequeueAsync(TestContext.Current.CancellationToken);
        Assert.False(queue.Enqueue(Web));
        queue.Done(pod);

        Assert.True(queue.Enqueue(Web));
        Assert.Equal((Web, 1), (pod, attempt));
        Assert.Equal([1, 0, 1], lengths);
    }

    [Fact]
    public async Task Retry_ComesBackAfterTheDelayWithTheNextAttempt()
    {
        var queue = new ReleaseQueue(TimeProvider.System);
        queue.Enqueue(Web);
        var (pod, _) = await queue.DequeueAsync(TestContext.Current.CancellationToken);
        var started = DateTime.UtcNow;

        queue.Retry(pod, 2, TimeSpan.FromMilliseconds(150), TestContext.Current.CancellationToken);
        var (again, attempt) = await queue.DequeueAsync(TestContext.Current.CancellationToken);

        Assert.Equal((Web, 2), (again, attempt));
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(140));
        Assert.Equal(1, queue.Length);
    }
}
