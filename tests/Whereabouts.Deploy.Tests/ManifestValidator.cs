namespace Whereabouts.Deploy.Tests;

/// <summary>Runs deploy/test/validate.mjs (kubernetes-models, CRD structure, CRs against their CRD schema).</summary>
internal static class ManifestValidator
{
    public static ProcessResult Validate(string yaml) =>
        Run(["-"], yaml);

    public static ProcessResult ValidateFiles(params string[] files) =>
        Run(files, standardInput: null);

    private static ProcessResult Run(IEnumerable<string> inputs, string? standardInput)
    {
        _ = RepositoryLayout.NodeModules;
        List<string> arguments = [RepositoryLayout.ValidateScript];
        if (Directory.Exists(RepositoryLayout.Crds))
        {
            arguments.AddRange(["--crds", RepositoryLayout.Crds]);
        }

        arguments.AddRange(inputs);
        return ProcessRunner.Run("node", arguments, Path.Combine(RepositoryLayout.Deploy, "test"), standardInput: standardInput);
    }
}
