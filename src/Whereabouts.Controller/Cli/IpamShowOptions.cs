namespace Whereabouts.Controller.Cli;

/// <summary><c>ipam show</c>.</summary>
/// <param name="Common">The shared flags.</param>
/// <param name="Ips"><c>--ips</c>: list every allocation too.</param>
public sealed record IpamShowOptions(IpamCommandOptions Common, bool Ips);
