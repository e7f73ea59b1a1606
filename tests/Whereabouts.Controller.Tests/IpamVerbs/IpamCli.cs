using System.Globalization;
using System.Text.Json.Nodes;
using Whereabouts.Controller.Cli;
using Whereabouts.Controller.Tests.InstallCni;

namespace Whereabouts.Controller.Tests.IpamVerbs;

/// <summary>Runs <c>whereabouts-controller</c> in-process through its real command line, with a chosen environment.</summary>
internal static class IpamCli
{
    public static async Task<CliRun> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var cli = new CliEnvironment(name => environment?.GetValueOrDefault(name), output, error, TimeProvider.System);
        var code = await CommandLine.RunAsync(args, cli, TestContext.Current.CancellationToken);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    public static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public static JsonObject Json(CliRun run) => JsonNode.Parse(run.Stdout)!.AsObject();

    /// <summary>The property names of a JSON object, in order.</summary>
    public static string[] Keys(JsonNode? node) => [.. node!.AsObject().Select(static p => p.Key)];
}
