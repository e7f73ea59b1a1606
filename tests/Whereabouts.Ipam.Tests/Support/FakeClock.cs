using Microsoft.Extensions.Time.Testing;

namespace Whereabouts.Ipam.Tests.Support;

/// <summary>Drives a <see cref="FakeTimeProvider"/> forward while the code under test runs on it.</summary>
internal static class FakeClock
{
    /// <summary>Advances <paramref name="time"/> by <paramref name="step"/> until <paramref name="task"/> ends, giving the task real time to react between steps.</summary>
    public static async Task RunAsync(FakeTimeProvider time, Task task, TimeSpan step, TimeSpan? limit = null)
    {
        var end = time.GetUtcNow() + (limit ?? TimeSpan.FromHours(1));
        while (!task.IsCompleted)
        {
            if (time.GetUtcNow() > end)
            {
                Assert.Fail($"the task did not end within {limit ?? TimeSpan.FromHours(1)} of fake time");
            }

            await Task.Delay(1);
            time.Advance(step);
        }

        await task;
    }

    public static async Task<T> RunAsync<T>(FakeTimeProvider time, Task<T> task, TimeSpan step, TimeSpan? limit = null)
    {
        await RunAsync(time, (Task)task, step, limit);
        return await task;
    }
}
