using System.Text.Json.Nodes;

namespace Whereabouts.Testing.Tests.Support;

internal static class Events
{
    public static string Type(this JsonObject watchEvent) => (string)watchEvent["type"]!;

    public static string Name(this JsonObject watchEvent) => (string)watchEvent["object"]!["metadata"]!["name"]!;

    public static string ResourceVersion(this JsonObject watchEvent) => (string)watchEvent["object"]!["metadata"]!["resourceVersion"]!;

    public static string Describe(this JsonObject watchEvent) => $"{watchEvent.Type()} {watchEvent.Name()}";
}
