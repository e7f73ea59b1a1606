using System.CommandLine;
using Whereabouts.Core.Config;
using Whereabouts.Core.Net;

namespace Whereabouts.Controller.Cli;

/// <summary>
/// <c>whereabouts-controller ipam show|check|release</c>: the operator's view of the allocation state, run from a
/// workstation with the user's own kubeconfig. Each subcommand parses its flags and hands them to its command.
/// </summary>
internal sealed class IpamVerb : Command
{
    public IpamVerb(
        CliEnvironment environment,
        Func<IpamShowOptions, CancellationToken, Task<int>> show,
        Func<IpamCommandOptions, CancellationToken, Task<int>> check,
        Func<IpamReleaseOptions, CancellationToken, Task<int>> release)
        : base("ipam", "Show, check and release the addresses whereabouts handed out (uses your kubeconfig)")
    {
        Subcommands.Add(new Show(environment, show));
        Subcommands.Add(new Check(environment, check));
        Subcommands.Add(new Release(environment, release));
    }

    /// <summary>The flags and exit codes shared by the subcommands: 1 is reserved for problems found or a refusal.</summary>
    private abstract class Subcommand : VerbCommand
    {
        private readonly Option<string?> _kubeconfig = SharedOptions.WorkstationKubeconfig();
        private readonly Option<string?> _namespace;
        private readonly Option<string> _output = new("--output", "-o")
        {
            Description = "Output format: text (default) or json",
            HelpName = "text|json",
            DefaultValueFactory = _ => "text",
        };

        private readonly Option<string?> _network = new("--network")
        {
            Description = "Only pools of this network_name, or of this NetworkAttachmentDefinition ([namespace/]name)",
            HelpName = "NAME",
        };

        private readonly Option<LogLevelSetting> _logLevel = LogLevelOption.Create();

        protected Subcommand(string name, string description, CliEnvironment environment)
            : base(name, description, environment)
        {
            _namespace = SharedOptions.Namespace(environment, fallback: null);
            _output.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<string>() is not ("text" or "json"))
                {
                    result.AddError($"--output: '{result.GetValueOrDefault<string>()}' is not one of text, json");
                }
            });
            Options.Add(_kubeconfig);
            Options.Add(_namespace);
            Options.Add(_network);
            Options.Add(_output);
            Options.Add(_logLevel);
        }

        protected IpamCommandOptions BindCommon(ParseResult parseResult) => new(
            SharedOptions.NonEmpty(parseResult.GetValue(_kubeconfig)),
            parseResult.GetValue(_namespace),
            parseResult.GetValue(_output) == "json",
            SharedOptions.NonEmpty(parseResult.GetValue(_network)),
            parseResult.GetValue(_logLevel));

        protected override (int Code, string Message) Describe(Exception exception, CancellationToken cancellationToken)
        {
            var (code, message) = base.Describe(exception, cancellationToken);
            return code == ExitCodes.Failure && exception is not CommandLineException ? (ExitCodes.IpamFailure, message) : (code, message);
        }
    }

    private sealed class Show : Subcommand
    {
        private readonly Func<IpamShowOptions, CancellationToken, Task<int>> _show;
        private readonly Option<bool> _ips = new("--ips") { Description = "Also list every allocation: address, pod, interface, container" };

        public Show(CliEnvironment environment, Func<IpamShowOptions, CancellationToken, Task<int>> show)
            : base("show", "One row per IPPool: range, usable window, allocated, free and usage", environment)
        {
            _show = show;
            Options.Add(_ips);
        }

        protected override Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken) =>
            _show(new IpamShowOptions(BindCommon(parseResult), parseResult.GetValue(_ips)), cancellationToken);
    }

    private sealed class Check : Subcommand
    {
        private readonly Func<IpamCommandOptions, CancellationToken, Task<int>> _check;

        public Check(CliEnvironment environment, Func<IpamCommandOptions, CancellationToken, Task<int>> check)
            : base("check", "Report leaked, double-held, unreserved and out-of-window addresses; exit 1 when there are any", environment)
        {
            _check = check;
        }

        protected override Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken) =>
            _check(BindCommon(parseResult), cancellationToken);
    }

    private sealed class Release : Subcommand
    {
        private readonly Func<IpamReleaseOptions, CancellationToken, Task<int>> _release;
        private readonly Option<Ip> _ip = new("--ip")
        {
            Description = "The address to release",
            HelpName = "IP",
            Required = true,
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 0 ? string.Empty : result.Tokens[0].Value;
                if (Ip.TryParse(text, out var ip))
                {
                    return ip;
                }

                result.AddError($"--ip: '{text}' is not an IP address");
                return default;
            },
        };

        private readonly Option<bool> _force = new("--force") { Description = "Release the address even though the pod holding it is alive" };

        public Release(CliEnvironment environment, Func<IpamReleaseOptions, CancellationToken, Task<int>> release)
            : base("release", "Release one address (its pool entry and reservation) as the pod's DEL would", environment)
        {
            _release = release;
            Options.Add(_ip);
            Options.Add(_force);
        }

        protected override Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken) =>
            _release(new IpamReleaseOptions(BindCommon(parseResult), parseResult.GetValue(_ip), parseResult.GetValue(_force)), cancellationToken);
    }
}
