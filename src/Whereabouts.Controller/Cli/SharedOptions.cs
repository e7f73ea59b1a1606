using System.CommandLine;

namespace Whereabouts.Controller.Cli;

/// <summary>Flags more than one command takes, built fresh for each command so help and defaults stay per command.</summary>
internal static class SharedOptions
{
    public const string DefaultNamespace = "kube-system";
    public const string DefaultHostCniConfDir = "/etc/cni/net.d";
    public const string DefaultServiceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount";
    public const string NamespaceVariable = "WHEREABOUTS_NAMESPACE";
    public const string NodeVariable = "NODENAME";

    /// <summary>
    /// <c>--namespace</c>, defaulting to <c>WHEREABOUTS_NAMESPACE</c> (the DaemonSet sets it from the pod's namespace),
    /// then to <paramref name="fallback"/>.
    /// </summary>
    public static Option<string?> Namespace(CliEnvironment environment, string? fallback)
    {
        var option = new Option<string?>("--namespace")
        {
            Description = $"Namespace of the IPPools, reservations and lease; ${NamespaceVariable} when not given{(fallback is null ? string.Empty : ", else " + fallback)}",
            HelpName = "NAME",
            DefaultValueFactory = _ => NonEmpty(environment.GetEnvironmentVariable(NamespaceVariable)) ?? fallback,
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && !IsNamespace(value))
            {
                result.AddError($"--namespace: '{value}' is not a namespace name (lowercase letters, digits and '-', at most 63)");
            }
        });
        return option;
    }

    /// <summary><c>--node</c>, defaulting to <c>NODENAME</c> (the DaemonSet sets it from <c>spec.nodeName</c>).</summary>
    public static Option<string?> Node(CliEnvironment environment, string description) => new("--node")
    {
        Description = $"{description}; ${NodeVariable} when not given",
        HelpName = "NAME",
        DefaultValueFactory = _ => NonEmpty(environment.GetEnvironmentVariable(NodeVariable)),
    };

    /// <summary><c>--kubeconfig</c> of a command that only runs in the DaemonSet: without it, the pod's service account.</summary>
    public static Option<string?> Kubeconfig() => new("--kubeconfig")
    {
        Description = "Kubeconfig to use (default: the pod's service account)",
        HelpName = "PATH",
    };

    /// <summary><c>--kubeconfig</c> of a command also run from a workstation, resolved by <see cref="Kube.KubeconfigResolution"/>.</summary>
    public static Option<string?> WorkstationKubeconfig() => new("--kubeconfig")
    {
        Description = $"Kubeconfig to use (default: the first file of ${Kube.KubeconfigResolution.KubeconfigVariable}, then ~/.kube/config, then the pod's service account)",
        HelpName = "PATH",
    };

    public static Option<string?> CniConfDir(string? defaultValue, string description) => Directory("--cni-conf-dir", defaultValue, description);

    public static Option<string?> HostCniConfDir() =>
        AbsoluteDirectory("--host-cni-conf-dir", DefaultHostCniConfDir, "The CNI configuration directory as the host sees it; written into the files the plugin reads");

    public static Option<string?> ServiceAccountDir() =>
        Directory("--service-account-dir", DefaultServiceAccountDir, "Directory of the pod's service-account token, ca.crt and namespace");

    public static Option<string?> Directory(string name, string? defaultValue, string description)
    {
        var option = new Option<string?>(name)
        {
            Description = description,
            HelpName = "DIR",
            DefaultValueFactory = _ => defaultValue,
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && string.IsNullOrWhiteSpace(value))
            {
                result.AddError($"{name}: the path is empty");
            }
        });
        return option;
    }

    /// <summary><c>--agent-socket PATH</c>: absolute, since the plugin (another process, another working directory) connects to it.</summary>
    public static Option<string?> AgentSocket(string description)
    {
        var option = new Option<string?>("--agent-socket") { Description = description, HelpName = "PATH" };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && !Path.IsPathRooted(value.Trim()))
            {
                result.AddError($"--agent-socket: '{value}' is not an absolute path");
            }
        });
        return option;
    }

    public static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static Option<string?> AbsoluteDirectory(string name, string defaultValue, string description)
    {
        var option = Directory(name, defaultValue, description);
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { Length: > 0 } value && !Path.IsPathRooted(value))
            {
                result.AddError($"{name}: '{value}' is not an absolute path");
            }
        });
        return option;
    }

    private static bool IsNamespace(string value) =>
        value.Length <= 63 && !value.Contains('.', StringComparison.Ordinal) && Core.Naming.Dns1123.IsSubdomain(value);
}
