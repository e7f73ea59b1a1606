namespace Whereabouts.Controller.Tests.NodeController;

/// <summary>Waits for something the controller does in the background.</summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultPatience = TimeSpan.FromSeconds(10);

    public static Task TrueAsync(Func<bool> condition, string because, TimeSpan? patience = null) =>
        TrueAsync(() => Task.FromResult(condition()), because, patience);

    public static async Task TrueAsync(Func<Task<bool>> condition, string because, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? DefaultPatience);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, because);
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
