using Whereabouts.Controller.Cli;
using Whereabouts.Controller.InstallCni;
using Whereabouts.Ipam.Errors;

namespace Whereabouts.Controller.Tests.Cli;

public sealed class ExitCodesTests
{
    public static TheoryData<Exception, bool, int, string, bool> Cases => new()
    {
        { new CommandLineException(ExitCodes.Usage, "bad"), false, 2, "bad", false },
        { new NotInClusterException("no token"), false, 3, "no token", false },
        { new StoreUnavailableException("API down"), false, 4, "API down", false },
        { new StoreAccessDeniedException("forbidden"), false, 5, "forbidden", false },
        { new StoreLimitExceededException("too big"), false, 1, "StoreLimitExceededException: too big", false },
        { new IOException("disk full"), false, 1, "disk full", false },
        { new UnauthorizedAccessException("denied"), false, 1, "denied", false },
        { new FormatException("bad port"), false, 1, "bad port", false },
        { new OperationCanceledException(), true, 143, "stopped by a signal before finishing", false },
        { new OperationCanceledException("timed out"), false, 1, "OperationCanceledException: timed out", true },
        { new InvalidOperationException("bug"), false, 1, "InvalidOperationException: bug", true },
        { new ArgumentNullException(null), false, 1, "ArgumentNullException: Value cannot be null.", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void For_Exception_CodeMessageAndWhetherItIsABug(Exception exception, bool cancelled, int code, string message, bool unexpected)
    {
        using var source = new CancellationTokenSource();
        if (cancelled)
        {
            source.Cancel();
        }

        Assert.Equal((code, message, unexpected), (ExitCodes.For(exception, source.Token).Code, ExitCodes.For(exception, source.Token).Message, ExitCodes.IsUnexpected(exception, source.Token)));
    }
}
