using Whereabouts.Core.Net;

namespace Whereabouts.Controller.Cli;

/// <summary><c>ipam release</c>.</summary>
/// <param name="Common">The shared flags.</param>
/// <param name="Address"><c>--ip</c>: the address to release.</param>
/// <param name="Force"><c>--force</c>: release even when the holder is a live pod.</param>
public sealed record IpamReleaseOptions(IpamCommandOptions Common, Ip Address, bool Force);
