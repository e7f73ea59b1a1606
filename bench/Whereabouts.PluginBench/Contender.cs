namespace Whereabouts.PluginBench;

/// <summary>An IPAM plugin under test: its binary, its network configuration and how to call it.</summary>
internal sealed record Contender(string Name, string Binary, string DirectConfig, string MacvlanConfig);
