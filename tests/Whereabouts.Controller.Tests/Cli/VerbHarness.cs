using System.CommandLine;
using System.Globalization;
using Whereabouts.Controller.Cli;
using Whereabouts.Controller.InstallCni;
using Whereabouts.Controller.Tests.InstallCni;

namespace Whereabouts.Controller.Tests.Cli;

/// <summary>
/// The four verbs under one root, with <c>reconcile</c>, <c>run</c> and <c>ipam</c> handing their parsed options to this harness
/// instead of the real commands, so the command line is tested on its own.
/// </summary>
internal sealed class VerbHarness
{
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);

    public ReconcileOptions? Reconcile { get; private set; }

    public RunOptions? Run { get; private set; }

    public InstallCniOptions? InstallCni { get; private set; }

    /// <summary>The options of the last <c>ipam</c> subcommand: show, check (<see cref="IpamCommandOptions"/>) or release.</summary>
    public object? Ipam { get; private set; }

    public VerbHarness With(string name, string value)
    {
        _environment[name] = value;
        return this;
    }

    public async Task<CliRun> InvokeAsync(params string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var environment = new CliEnvironment(name => _environment.GetValueOrDefault(name), output, error, TimeProvider.System);
        var installCni = new InstallCniVerb(environment);
        var root = new RootCommand
        {
            installCni,
            new ReconcileVerb(environment, (options, _) =>
            {
                Reconcile = options;
                return Task.FromResult(0);
            }),
            new RunVerb(environment, (options, _) =>
            {
                Run = options;
                return Task.FromResult(0);
            }),
            new IpamVerb(environment, (options, _) => Capture(options), (options, _) => Capture(options), (options, _) => Capture(options)),
        };
        if (args is ["install-cni", ..])
        {
            var parsed = root.Parse(args);
            InstallCni = parsed.Errors.Count == 0 ? installCni.Bind(parsed) : null;
            return new CliRun(parsed.Errors.Count == 0 ? 0 : 2, "", string.Join('\n', parsed.Errors.Select(e => e.Message)));
        }

        var code = await CommandLine.InvokeAsync(root, args, environment, TestContext.Current.CancellationToken);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    private Task<int> Capture(object options)
    {
        Ipam = options;
        return Task.FromResult(0);
    }
}
