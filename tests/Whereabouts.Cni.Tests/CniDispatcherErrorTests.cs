using Whereabouts.Cni.Tests.Support;

namespace Whereabouts.Cni.Tests;

public sealed class CniDispatcherErrorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<CniCommand> PluginVerbs => [CniCommand.Add, CniCommand.Del, CniCommand.Check, CniCommand.Gc, CniCommand.Status];

    private static CniInvocation Failing(CniCommand command, Exception exception)
    {
        var invocation = CniInvocation.For(command, "1.1.0");
        invocation.Plugin.Failure = (_, _) => exception;
        return invocation;
    }

    [Theory]
    [MemberData(nameof(PluginVerbs))]
    public async Task RunAsync_CniException_WrittenAsIs(CniCommand command)
    {
        var invocation = Failing(command, new CniException(CniErrorCodes.TryAgainLater, "pool is locked", "retry in 1s"));
        var translated = 0;
        invocation.Translate = _ =>
        {
            translated++;
            return new CniError(123, "should not be used");
        };

        var outcome = await invocation.RunAsync(Ct);

        outcome.AssertError(11, "pool is locked", "retry in 1s");
        Assert.Equal(0, translated);
    }

    [Theory]
    [MemberData(nameof(PluginVerbs))]
    public async Task RunAsync_PlainExceptionWithoutTranslator_Internal999(CniCommand command)
    {
        var outcome = await Failing(command, new InvalidOperationException("store exploded")).RunAsync(Ct);

        outcome.AssertError(999, "store exploded");
    }

    [Fact]
    public async Task RunAsync_Translator_MapsPlainExceptions()
    {
        var invocation = Failing(CniCommand.Status, new TimeoutException("api server unreachable"));
        Exception? seen = null;
        invocation.Translate = ex =>
        {
            seen = ex;
            return new CniError(CniErrorCodes.PluginNotAvailable, "datastore unavailable", ex.Message);
        };

        var outcome = await invocation.RunAsync(Ct);

        outcome.AssertError(50, "datastore unavailable", "api server unreachable");
        Assert.IsType<TimeoutException>(seen);
    }

    [Fact]
    public async Task RunAsync_TranslatorReturnsNull_DefaultMapping()
    {
        var invocation = Failing(CniCommand.Add, new InvalidOperationException("boom"));
        invocation.Translate = _ => null;

        var outcome = await invocation.RunAsync(Ct);

        outcome.AssertError(999, "boom");
    }

    [Fact]
    public async Task RunAsync_TranslatorThrows_DefaultMapping()
    {
        var invocation = Failing(CniCommand.Add, new InvalidOperationException("boom"));
        invocation.Translate = _ => throw new FormatException("translator bug");

        var outcome = await invocation.RunAsync(Ct);

        outcome.AssertError(999, "boom");
    }

    [Theory]
    [MemberData(nameof(PluginVerbs))]
    public async Task RunAsync_CancelledToken_TryAgainLater(CniCommand command)
    {
        using var cts = new CancellationTokenSource();
        var invocation = CniInvocation.For(command, "1.1.0");
        invocation.Plugin.Failure = (_, ct) =>
        {
            cts.Cancel();
            return new OperationCanceledException(ct);
        };

        var outcome = await invocation.RunAsync(cts.Token);

        outcome.AssertError(11, "operation cancelled");
    }

    [Fact]
    public async Task RunAsync_CancelledBeforeStdinRead_TryAgainLater()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var outcome = await CniInvocation.For("ADD").RunAsync(cts.Token);

        outcome.AssertError(11, "operation cancelled");
        Assert.Empty(outcome.Requests);
    }

    [Fact]
    public async Task RunAsync_CancellationWithoutCancelledToken_Internal999()
    {
        var outcome = await Failing(CniCommand.Add, new TaskCanceledException("request timed out")).RunAsync(Ct);

        outcome.AssertError(999, "request timed out");
    }

    [Fact]
    public async Task RunAsync_TranslatorOverridesCancellation()
    {
        using var cts = new CancellationTokenSource();
        var invocation = CniInvocation.For(CniCommand.Add, "1.1.0");
        invocation.Plugin.Failure = (_, ct) =>
        {
            cts.Cancel();
            return new OperationCanceledException(ct);
        };
        invocation.Translate = ex => ex is OperationCanceledException ? new CniError(11, "timed out waiting for the pool lock") : null;

        var outcome = await invocation.RunAsync(cts.Token);

        outcome.AssertError(11, "timed out waiting for the pool lock");
    }

    [Fact]
    public async Task RunAsync_NonNullableTranslatorDelegate_Accepted()
    {
        // The shape the plugin executable passes: a translator that always answers.
        Func<Exception, CniError> errorTranslator = ex => new CniError(CniErrorCodes.TryAgainLater, ex.Message);
        var plugin = new FakeCniPlugin { Failure = (_, _) => new TimeoutException("lock timeout") };
        var dispatcher = new CniDispatcher(plugin, errorTranslator, about: static () => "whereabouts 0.1.0");
        using var stdin = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(CniInvocation.Config("1.1.0")));
        using var stdout = new MemoryStream();
        var env = new Dictionary<string, string> { ["CNI_COMMAND"] = "STATUS" };

        var exit = await dispatcher.RunAsync(env.GetValueOrDefault, stdin, stdout, TextWriter.Null, Ct);

        Assert.Equal(1, exit);
        Assert.Equal(
            """{"cniVersion":"1.1.0","code":11,"msg":"lock timeout"}""" + "\n",
            System.Text.Encoding.UTF8.GetString(stdout.ToArray()));
    }

    [Fact]
    public void CniException_CarriesError()
    {
        var ex = new CniException(7, "bad range", "10.0.0.0/33");

        Assert.Equal(new CniError(7, "bad range", "10.0.0.0/33"), ex.Error);
        Assert.Equal(7, ex.Code);
        Assert.Equal("bad range", ex.Message);
        Assert.Equal(CniErrorCodes.Internal, new CniException("x").Code);
    }

    [Fact]
    public void ErrorCodes_MatchSpec()
    {
        Assert.Equal(
            [1, 2, 3, 4, 5, 6, 7, 11, 50, 51, 999],
            [
                CniErrorCodes.IncompatibleVersion, CniErrorCodes.UnsupportedField, CniErrorCodes.UnknownContainer,
                CniErrorCodes.InvalidEnvironment, CniErrorCodes.IoFailure, CniErrorCodes.DecodingFailure,
                CniErrorCodes.InvalidNetworkConfig, CniErrorCodes.TryAgainLater, CniErrorCodes.PluginNotAvailable,
                CniErrorCodes.LimitedConnectivity, CniErrorCodes.Internal,
            ]);
    }
}
