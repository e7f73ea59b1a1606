namespace Whereabouts.Plugin.Tests.Support;

/// <summary>
/// End-to-end tests need root (network namespaces, links). CI runs as root and sets WHEREABOUTS_E2E_REQUIRED=1, so
/// there a missing privilege fails the run instead of skipping silently.
/// </summary>
internal static class Root
{
    public static bool IsRoot => Environment.UserName == "root";

    public static void Require()
    {
        if (IsRoot)
        {
            return;
        }

        if (Environment.GetEnvironmentVariable("WHEREABOUTS_E2E_REQUIRED") == "1")
        {
            Assert.Fail("end-to-end tests must run as root (WHEREABOUTS_E2E_REQUIRED=1)");
        }

        Assert.Skip("needs root: network namespaces and links");
    }

    public static void RequireReferencePlugins()
    {
        if (!File.Exists(Path.Combine(Repo.ReferencePlugins, "macvlan")))
        {
            Assert.Fail($"{Repo.ReferencePlugins}/macvlan is missing: install the Debian package containernetworking-plugins");
        }
    }
}
