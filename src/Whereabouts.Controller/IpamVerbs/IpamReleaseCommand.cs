using Whereabouts.Controller.Cli;

namespace Whereabouts.Controller.IpamVerbs;

/// <summary><c>ipam release</c>: placeholder until the release engine's entry point lands.</summary>
internal static class IpamReleaseCommand
{
    public static Task<int> RunAsync(IpamReleaseOptions options, CliEnvironment environment, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}
