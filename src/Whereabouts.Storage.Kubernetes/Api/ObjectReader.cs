namespace Whereabouts.Storage.Kubernetes.Api;

/// <summary>Reads one object from its UTF-8 JSON (source-generated metadata under NativeAOT).</summary>
public delegate T? ObjectReader<T>(ReadOnlySpan<byte> utf8Json);
