namespace Whereabouts.Controller.Tests.Reconcile;

/// <summary>
/// The JIT build of <c>whereabouts-controller</c> in its own output directory. The copy next to these tests shares a
/// directory with the ASP.NET Core framework the API test server uses, whose conflict resolution drops assemblies the
/// controller's own dependency file names (prometheus-net's Microsoft.Extensions.ObjectPool).
/// </summary>
internal static class ControllerExecutable
{
    public static string Path { get; } = System.IO.Path.GetFullPath(System.IO.Path.Join(
        AppContext.BaseDirectory, "..", "..", "Whereabouts.Controller", new DirectoryInfo(AppContext.BaseDirectory).Name, "whereabouts-controller"));
}
