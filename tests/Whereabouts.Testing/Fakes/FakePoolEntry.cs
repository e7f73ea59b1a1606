using Whereabouts.Core.Allocation;
using Whereabouts.Core.Net;

namespace Whereabouts.Testing.Fakes;

/// <summary>One allocation of a fake pool, with its offset already turned into an address.</summary>
/// <param name="Pool">The pool name.</param>
/// <param name="Address">The allocated address.</param>
/// <param name="Allocation">Who holds it.</param>
public sealed record FakePoolEntry(string Pool, Ip Address, PoolAllocation Allocation);
