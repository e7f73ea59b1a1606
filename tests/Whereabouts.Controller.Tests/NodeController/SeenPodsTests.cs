using Microsoft.Extensions.Logging.Abstractions;
using Whereabouts.Controller.NodeController;

namespace Whereabouts.Controller.Tests.NodeController;

public sealed class SeenPodsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wb-seen-").FullName;

    private string StateFile => Path.Join(_directory, SeenPods.FileName);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Save_ThenLoad_SamePods()
    {
        var seen = new SeenPods(StateFile, "node-1", NullLogger.Instance);
        Assert.True(seen.Track(new TrackedPod("default", "web-0", "u1", [new NetworkRef("default", "net1"), new NetworkRef("other", "net2")])));
        Assert.True(seen.Track(new TrackedPod("apps", "db-0", "u2", [new NetworkRef("apps", "net3")])));
        Assert.False(seen.Track(new TrackedPod("apps", "db-0", "u2", [new NetworkRef("apps", "net3")])));
        seen.Save();

        var loaded = new SeenPods(StateFile, "node-1", NullLogger.Instance);
        loaded.Load();

        Assert.Equal(seen.All.OrderBy(p => p.Uid).Select(Describe), loaded.All.OrderBy(p => p.Uid).Select(Describe));
        Assert.Equal(AtomicMode, File.GetUnixFileMode(StateFile));
    }

    [Fact]
    public void Forget_ThenSave_GoneFromTheFile()
    {
        var seen = new SeenPods(StateFile, "node-1", NullLogger.Instance);
        seen.Track(new TrackedPod("default", "web-0", "u1", [new NetworkRef("default", "net1")]));
        seen.Save();
        Assert.True(seen.Forget("u1"));
        seen.Save();

        var loaded = new SeenPods(StateFile, "node-1", NullLogger.Instance);
        loaded.Load();

        Assert.Empty(loaded.All);
        Assert.Empty(Directory.GetFiles(_directory, ".*"));
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"version":1,"node":"node-2","pods":[{"namespace":"a","name":"b","uid":"c","networks":[]}]}""")]
    [InlineData("""{"version":1,"node":"node-1"}""")]
    public void Load_DamagedOrOtherNodesFile_StartsEmpty(string content)
    {
        File.WriteAllText(StateFile, content);
        var seen = new SeenPods(StateFile, "node-1", NullLogger.Instance);

        seen.Load();

        Assert.Empty(seen.All);
    }

    [Fact]
    public void Save_WithoutPath_KeepsInMemoryOnly()
    {
        var seen = new SeenPods(null, "node-1", NullLogger.Instance);
        seen.Track(new TrackedPod("default", "web-0", "u1", [new NetworkRef("default", "net1")]));

        seen.Save();

        Assert.Single(seen.All);
        Assert.Empty(Directory.GetFiles(_directory));
    }

    private static UnixFileMode AtomicMode => UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static string Describe(TrackedPod pod) => $"{pod} {string.Join(",", pod.Networks)}";
}
