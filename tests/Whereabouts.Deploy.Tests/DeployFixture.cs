[assembly: AssemblyFixture(typeof(Whereabouts.Deploy.Tests.DeployFixture))]

namespace Whereabouts.Deploy.Tests;

/// <summary>
/// Shared by every test: a scratch directory (removed at the end) and the default renders, which
/// several test classes assert on and which need not be produced more than once.
/// </summary>
public sealed class DeployFixture : IDisposable
{
    private readonly Lazy<ManifestSet> _defaultRender;
    private readonly Lazy<ManifestSet> _defaultRenderWithCrds;

    public DeployFixture()
    {
        ScratchDirectory = Directory.CreateTempSubdirectory("whereabouts-deploy-tests-").FullName;
        Helm = new HelmTool(ScratchDirectory);
        _defaultRender = new(() => Helm.Render(RepositoryLayout.Chart));
        _defaultRenderWithCrds = new(() => Helm.Render(RepositoryLayout.Chart, includeCrds: true));
    }

    public string ScratchDirectory { get; }

    internal HelmTool Helm { get; }

    internal ManifestSet DefaultRender => _defaultRender.Value;

    internal ManifestSet DefaultRenderWithCrds => _defaultRenderWithCrds.Value;

    /// <summary>Writes a file under the scratch directory and returns its path.</summary>
    public string WriteScratchFile(string name, string content)
    {
        var path = Path.Combine(ScratchDirectory, name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose() => Directory.Delete(ScratchDirectory, recursive: true);
}
