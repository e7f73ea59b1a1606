using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Whereabouts.Cni.Tests.Support;

/// <summary>One in-process plugin run: a dictionary environment, a stdin string, and captured stdout/stderr.</summary>
internal sealed class CniInvocation
{
    public const string About = "whereabouts 0.1.0";

    private CniInvocation(Dictionary<string, string> environment, string stdin)
    {
        Environment = environment;
        Stdin = stdin;
    }

    public Dictionary<string, string> Environment { get; }

    public string Stdin { get; set; }

    public FakeCniPlugin Plugin { get; } = new();

    public Func<Exception, CniError?>? Translate { get; set; }

    /// <summary>Replaces the stdin stream (e.g. one that fails); <see cref="Stdin"/> is then ignored.</summary>
    public Stream? StdinStream { get; set; }

    public Stream? StdoutStream { get; set; }

    /// <summary>A fully valid environment for <paramref name="command"/> (every variable any verb needs).</summary>
    public static CniInvocation For(string command, string? config = null) => new(
        new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = "ctr-1",
            ["CNI_NETNS"] = "/var/run/netns/test",
            ["CNI_IFNAME"] = "net1",
            ["CNI_PATH"] = "/opt/cni/bin",
        },
        config ?? Config("1.1.0"));

    public static CniInvocation For(CniCommand command, string version) =>
        For(command.ToString().ToUpperInvariant(), Config(version));

    /// <summary>A parent plugin's configuration as a delegated IPAM plugin receives it.</summary>
    public static string Config(string version, string extraMembers = "") =>
        $$"""{"cniVersion":"{{version}}","name":"net-a","type":"macvlan","master":"eth0","ipam":{"type":"whereabouts","range":"10.0.0.0/24"}{{extraMembers}}}""";

    public CniInvocation With(string name, string? value)
    {
        if (value is null)
        {
            Environment.Remove(name);
        }
        else
        {
            Environment[name] = value;
        }

        return this;
    }

    public async Task<CniOutcome> RunAsync(CancellationToken cancellationToken = default)
    {
        var dispatcher = new CniDispatcher(Plugin, Translate, static () => About);
        var stdout = StdoutStream ?? new MemoryStream();
        var stderr = new StringWriter();
        var stdin = StdinStream ?? new MemoryStream(Encoding.UTF8.GetBytes(Stdin));
        var exitCode = await dispatcher.RunAsync(
            name => Environment.GetValueOrDefault(name),
            stdin,
            stdout,
            stderr,
            cancellationToken);
        var written = stdout is MemoryStream memory ? Encoding.UTF8.GetString(memory.ToArray()) : "";
        return new CniOutcome(exitCode, written, stderr.ToString(), Plugin.Requests);
    }
}

internal sealed record CniOutcome(int ExitCode, string Stdout, string Stderr, IReadOnlyList<CniRequest> Requests)
{
    public CniRequest Request => Assert.Single(Requests);

    /// <summary>Asserts stdout is exactly one JSON document and a newline, and returns the document's text.</summary>
    public string SingleDocument()
    {
        Assert.EndsWith("\n", Stdout, StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(Stdout);
        var reader = new Utf8JsonReader(bytes);
        Assert.True(reader.Read());
        reader.Skip();
        Assert.Equal(bytes.Length - 1, (int)reader.BytesConsumed);
        return Stdout[..^1];
    }

    /// <summary>Asserts a failed run whose stdout is exactly this error document (member order aside).</summary>
    public void AssertError(int code, string message, string? details = null, string cniVersion = "1.1.0")
    {
        var expected = new JsonObject { ["cniVersion"] = cniVersion, ["code"] = code, ["msg"] = message };
        if (details is not null)
        {
            expected["details"] = details;
        }

        Assert.Equal(1, ExitCode);
        var actual = JsonNode.Parse(SingleDocument());
        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected {expected.ToJsonString()}, got {Stdout}");
    }

    /// <summary>Asserts the error code and message only (for messages that embed parser text).</summary>
    public JsonElement AssertErrorCode(int code, string messageStart)
    {
        Assert.Equal(1, ExitCode);
        using var document = JsonDocument.Parse(SingleDocument());
        var root = document.RootElement.Clone();
        Assert.Equal(code, root.GetProperty("code").GetInt32());
        Assert.StartsWith(messageStart, root.GetProperty("msg").GetString(), StringComparison.Ordinal);
        return root;
    }

    public void AssertSilentSuccess()
    {
        Assert.Equal("", Stdout);
        Assert.Equal(0, ExitCode);
    }
}
