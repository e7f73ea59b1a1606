using Whereabouts.Controller.Cli;
using Whereabouts.Controller.InstallCni;

namespace Whereabouts.Controller.Tests.Cli;

public sealed class ExitCodesTests
{
    public static TheoryData<Exception, bool, int, string> Cases => new()
    {
        { new CommandLineException(ExitCodes.Usage, "bad"), false, 2, "bad" },
        { new NotInClusterException("no token"), false, 3, "no token" },
        { new IOException("disk full"), false, 1, "disk full" },
        { new UnauthorizedAccessException("denied"), false, 1, "denied" },
        { new FormatException("bad port"), false, 1, "bad port" },
        { new OperationCanceledException(), true, 143, "stopped by a signal before finishing" },
        { new OperationCanceledException("timed out"), false, 1, "OperationCanceledException: timed out" },
        { new InvalidOperationException("bug"), false, 1, "InvalidOperationException: bug" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void For_Exception_CodeAndMessage(Exception exception, bool cancelled, int code, string message)
    {
        using var source = new CancellationTokenSource();
        if (cancelled)
        {
            source.Cancel();
        }

        Assert.Equal((code, message), ExitCodes.For(exception, source.Token));
    }
}
