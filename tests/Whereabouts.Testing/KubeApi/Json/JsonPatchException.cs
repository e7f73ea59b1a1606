namespace Whereabouts.Testing.KubeApi.Json;

/// <summary>A JSON patch that cannot be applied to the document (a failed test, a missing path, ...).</summary>
internal sealed class JsonPatchException : Exception
{
    public JsonPatchException()
    {
    }

    public JsonPatchException(string message)
        : base(message)
    {
    }

    public JsonPatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
