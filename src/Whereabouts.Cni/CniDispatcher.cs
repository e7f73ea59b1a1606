using System.Buffers;
using System.Text.Json;

namespace Whereabouts.Cni;

/// <summary>
/// The CNI skeleton: turns one invocation (environment, stdin) into a call on an <see cref="ICniPlugin"/> and its
/// outcome into stdout and an exit code. Environment and streams are injected so the whole protocol runs in-process.
/// </summary>
/// <remarks>
/// stdout only ever receives one JSON document (the result, the VERSION answer or the error object) followed by a
/// newline. Exceptions become CNI errors here and nowhere else: a <see cref="CniException"/> is written as-is, anything
/// else goes through the translator, and by default becomes code 999 with its message (11 for cancellation).
/// </remarks>
public sealed class CniDispatcher
{
    private readonly ICniPlugin _plugin;
    private readonly Func<Exception, CniError?>? _translate;
    private readonly Func<string> _about;

    /// <summary>Creates a dispatcher.</summary>
    /// <param name="plugin">Receives the validated requests.</param>
    /// <param name="translate">
    /// Maps exceptions other than <see cref="CniException"/> to errors; returning null (or throwing) falls back to the
    /// default mapping. Null uses the default mapping for everything.
    /// </param>
    /// <param name="about">
    /// Makes the text printed to stderr, with the supported versions, when <c>CNI_COMMAND</c> is not set; an empty text
    /// prints nothing. Called only then, so that a costly lookup (assembly attributes) stays out of every CNI call.
    /// </param>
    public CniDispatcher(ICniPlugin plugin, Func<Exception, CniError?>? translate, Func<string> about)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        ArgumentNullException.ThrowIfNull(about);
        _plugin = plugin;
        _translate = translate;
        _about = about;
    }

    /// <summary>Runs one invocation and returns the process exit code: 0 on success, 1 on error.</summary>
    /// <param name="getenv">Environment lookup; null means unset.</param>
    /// <param name="stdin">
    /// The configuration. VERSION reads it only to echo its <c>cniVersion</c>; a caller whose stdin is an interactive
    /// terminal should pass <see cref="Stream.Null"/> so that VERSION does not wait for input.
    /// </param>
    /// <param name="stdout">Receives exactly one JSON document, or nothing for a successful DEL, CHECK, GC or STATUS.</param>
    /// <param name="stderr">Receives the about text, and diagnostics when stdout cannot be written.</param>
    /// <param name="cancellationToken">Passed to the plugin; cancellation is reported as code 11.</param>
    public async Task<int> RunAsync(
        Func<string, string?> getenv,
        Stream stdin,
        Stream stdout,
        TextWriter stderr,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(getenv);
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);

        var output = new ArrayBufferWriter<byte>();
        var errorVersion = CniVersions.Latest;
        try
        {
            var command = getenv(CniEnvironment.CommandVariable) ?? "";
            if (command.Length == 0 && _about() is { Length: > 0 } about)
            {
                await stderr.WriteLineAsync(about);
                await stderr.WriteLineAsync($"CNI protocol versions supported: {string.Join(", ", CniVersions.Supported)}");
                await stderr.FlushAsync(cancellationToken);
                return 0;
            }

            if (command.Length == 0)
            {
                throw new CniException(CniErrorCodes.InvalidEnvironment, "required env variables [CNI_COMMAND] missing");
            }

            var environment = CniEnvironment.Read(getenv, command);
            if (environment.Command == CniCommand.Version)
            {
                CniResultWriter.WriteVersion(output, await ReadRequestedVersionAsync(stdin, cancellationToken));
            }
            else
            {
                var config = await ReadStdinAsync(stdin, cancellationToken);
                using var document = CniConfigReader.Parse(config);
                var root = document.RootElement;

                // The reference skel's order: the name is validated before the version is even decoded.
                var name = CniConfigReader.ReadName(root);
                var version = CniConfigReader.ReadVersion(root);
                if (CniVersions.IsSupported(version))
                {
                    errorVersion = version;
                }

                CniVersions.EnsureAllowed(environment.Command, version);
                await InvokeAsync(BuildRequest(environment, config, root, name, version), output, cancellationToken);
            }
        }
        catch (Exception ex)
        {
            output.ResetWrittenCount();
            CniResultWriter.WriteError(output, ToError(ex, cancellationToken), errorVersion);
            await WriteStdoutAsync(stdout, output, stderr);
            return 1;
        }

        return await WriteStdoutAsync(stdout, output, stderr) ? 0 : 1;
    }

    private static CniRequest BuildRequest(
        CniEnvironment environment,
        ReadOnlyMemory<byte> config,
        JsonElement root,
        string name,
        string version) =>
        new()
        {
            Command = environment.Command,
            ContainerId = environment.ContainerId,
            NetNs = environment.NetNs,
            IfName = environment.IfName,
            Args = environment.Args,
            CniPath = environment.CniPath,
            CniVersion = version,
            NetworkName = name,
            Config = config,
            PrevResult = CniConfigReader.ReadPrevResult(root, environment.Command),
            RuntimeConfigIps = CniConfigReader.ReadRuntimeConfigIps(root),
            ArgsCniIps = CniConfigReader.ReadArgsCniIps(root),
            ValidAttachments = environment.Command == CniCommand.Gc ? CniConfigReader.ReadValidAttachments(root) : [],
        };

    private async Task InvokeAsync(CniRequest request, IBufferWriter<byte> output, CancellationToken cancellationToken)
    {
        switch (request.Command)
        {
            case CniCommand.Add:
                var result = await _plugin.AddAsync(request, cancellationToken)
                    ?? throw new InvalidOperationException("the plugin returned no result");
                CniResultWriter.WriteResult(output, result, request.CniVersion);
                break;
            case CniCommand.Del:
                await _plugin.DelAsync(request, cancellationToken);
                break;
            case CniCommand.Check:
                await _plugin.CheckAsync(request, cancellationToken);
                break;
            case CniCommand.Gc:
                await _plugin.GcAsync(request, cancellationToken);
                break;
            case CniCommand.Status:
                await _plugin.StatusAsync(request, cancellationToken);
                break;
            default:
                throw new InvalidOperationException($"{request.Command} is not dispatched to the plugin");
        }
    }

    private CniError ToError(Exception exception, CancellationToken cancellationToken)
    {
        if (exception is CniException cni)
        {
            return cni.Error;
        }

        if (_translate is not null)
        {
            try
            {
                if (_translate(exception) is { } translated)
                {
                    return translated;
                }
            }
            catch (Exception)
            {
                // A faulty translator must not cost the runtime its error document.
            }
        }

        return exception is OperationCanceledException && cancellationToken.IsCancellationRequested
            ? new CniError(CniErrorCodes.TryAgainLater, "operation cancelled")
            : new CniError(CniErrorCodes.Internal, exception.Message);
    }

    private static async Task<ReadOnlyMemory<byte>> ReadStdinAsync(Stream stdin, CancellationToken cancellationToken)
    {
        try
        {
            using var buffer = new MemoryStream();
            await stdin.CopyToAsync(buffer, cancellationToken);
            return buffer.ToArray();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new CniException(new CniError(CniErrorCodes.IoFailure, $"error reading from stdin: {ex.Message}"), ex);
        }
    }

    /// <summary>
    /// VERSION echoes the caller's <c>cniVersion</c> as the spec asks, and answers <see cref="CniVersions.Latest"/> (what
    /// the Go skel always says) when stdin is empty, unreadable or names no usable version. It never fails.
    /// </summary>
    private static async Task<string> ReadRequestedVersionAsync(Stream stdin, CancellationToken cancellationToken)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(stdin, cancellationToken: cancellationToken);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("cniVersion", out var version)
                && version.ValueKind == JsonValueKind.String
                && version.GetString() is { Length: > 0 } requested
                && CniVersions.TryParse(requested, out _)
                    ? requested
                    : CniVersions.Latest;
        }
        catch (Exception ex) when (ex is JsonException or IOException or NotSupportedException or ObjectDisposedException
                                       or OperationCanceledException)
        {
            return CniVersions.Latest;
        }
    }

    private static async Task<bool> WriteStdoutAsync(Stream stdout, ArrayBufferWriter<byte> output, TextWriter stderr)
    {
        if (output.WrittenCount == 0)
        {
            return true;
        }

        output.Write("\n"u8);
        try
        {
            // Not cancellable: once ADD has allocated, its result must reach the runtime or the address leaks.
            await stdout.WriteAsync(output.WrittenMemory, CancellationToken.None);
            await stdout.FlushAsync(CancellationToken.None);
            return true;
        }
        catch (Exception ex) when (ex is IOException or NotSupportedException or ObjectDisposedException)
        {
            await stderr.WriteLineAsync($"failed to write to stdout: {ex.Message}");
            return false;
        }
    }
}
