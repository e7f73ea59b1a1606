namespace Whereabouts.Controller.Tests.Reconcile;

/// <summary>An allocation to plant in a pool: its offset key and entry; a null ifname is left out, as upstream v0.9.4 writes an empty one.</summary>
internal sealed record Alloc(string Offset, string Id, string PodRef, string? IfName = "net1");
