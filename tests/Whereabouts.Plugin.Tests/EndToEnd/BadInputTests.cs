using System.Text.Json.Nodes;
using Whereabouts.Plugin.Tests.Support;

namespace Whereabouts.Plugin.Tests.EndToEnd;

/// <summary>Bad input gets error JSON with the right code on stdout, a non-zero exit, and changes nothing.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TempDir _dir = new();

    public static TheoryData<string, string, int> Cases => new()
    {
        { "malformed JSON", "stdin={\"cniVersion\":", 6 },
        { "cniVersion not a string", "version=number", 6 },
        { "unknown cniVersion", "version=9.9.9", 1 },
        { "missing network name", "drop=name", 7 },
        { "missing ipam", "drop=ipam", 7 },
        { "other IPAM type", "ipam.type=host-local", 7 },
        { "range of the wrong type", "ipam.range=5", 7 },
        { "invalid range", "ipam.range=300.1.1.0/24", 7 },
        { "range without usable addresses", "ipam.range=192.168.20.0/31", 7 },
        { "exclude that is not an address", "ipam.exclude=[\"bogus\"]", 7 },
        { "kubernetes datastore without kubeconfig", "ipam.datastore=kubernetes", 7 },
        { "missing CNI_CONTAINERID", "env-=CNI_CONTAINERID", 4 },
        { "missing CNI_IFNAME", "env-=CNI_IFNAME", 4 },
        { "missing CNI_NETNS", "env-=CNI_NETNS", 4 },
        { "container id with bad characters", "env=CNI_CONTAINERID=bad/id", 4 },
        { "interface name too long", "env=CNI_IFNAME=abcdefghijklmnopq", 4 },
        { "unknown command", "env=CNI_COMMAND=BOGUS", 4 },
        { "CNI_ARGS pair without =", "env=CNI_ARGS=IgnoreUnknown=1;oops", 4 },
        { "unknown CNI_ARGS without IgnoreUnknown", "env=CNI_ARGS=K8S_POD_NAME=p;FOO=bar", 4 },
        { "CNI_ARGS IP that is not an address", "env=CNI_ARGS=IgnoreUnknown=1;IP=nope", 4 },
        { "requested address outside every range", "env=CNI_ARGS=IgnoreUnknown=1;IP=10.9.9.9", 7 },
        { "CHECK below 0.4.0", "env=CNI_COMMAND=CHECK|version=0.3.1", 1 },
        { "GC below 1.1.0", "env=CNI_COMMAND=GC|version=1.0.0", 1 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadInput_GetsErrorJsonWithCode_AndChangesNothing(string description, string mutation, int code)
    {
        var data = _dir.Sub("state");
        var good = NetConf.Direct(data);
        Assert.Equal(0, (await new CniCall("ADD", "existing") { Args = CniCall.PodArgs("existing") }.RunAsync(Repo.Plugin, good)).ExitCode);
        var before = FileState.Fingerprint(data);

        var (env, stdin) = Apply(mutation, new CniCall("ADD", "c-new") { Args = CniCall.PodArgs("new") }.Environment(), good);
        var result = await Run.ProcessAsync(Repo.Plugin, [], env, stdin, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode != 0, $"{description}: expected failure, got {result}");
        var error = JsonNode.Parse(result.Stdout)!;
        Assert.True(code == error["code"]!.GetValue<int>(), $"{description}: expected code {code}, got {result.Stdout}");
        Assert.False(string.IsNullOrWhiteSpace(error["msg"]?.GetValue<string>()), description);
        Assert.Equal(before, FileState.Fingerprint(data));
    }

    private static (Dictionary<string, string> Env, string Stdin) Apply(string mutation, Dictionary<string, string> env, string config)
    {
        var node = JsonNode.Parse(config)!.AsObject();
        string? rawStdin = null;
        foreach (var part in mutation.Split('|'))
        {
            var (key, value) = (part[..part.IndexOf('=', StringComparison.Ordinal)], part[(part.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            switch (key)
            {
                case "stdin":
                    rawStdin = value;
                    break;
                case "version":
                    node["cniVersion"] = value == "number" ? JsonValue.Create(1) : JsonValue.Create(value);
                    break;
                case "drop":
                    node.Remove(value);
                    break;
                case "env-":
                    env.Remove(value);
                    break;
                case "env":
                    var eq = value.IndexOf('=', StringComparison.Ordinal);
                    env[value[..eq]] = value[(eq + 1)..];
                    break;
                default:
                    var ipamKey = key["ipam.".Length..];
                    node["ipam"]![ipamKey] = value.StartsWith('[') || int.TryParse(value, out _) ? JsonNode.Parse(value) : JsonValue.Create(value);
                    break;
            }
        }

        return (env, rawStdin ?? node.ToJsonString());
    }

    public void Dispose() => _dir.Dispose();
}
