using System.Net;
using k8s.Autorest;
using k8s.Models;
using Whereabouts.Ipam.Errors;
using Whereabouts.Storage.Kubernetes.Api;

namespace Whereabouts.Storage.Kubernetes.Tests.Unit;

public sealed class KubeErrorsTests
{
    private static readonly KubeRequest PatchPool = new("patch", "ippools", "whereabouts.cni.cncf.io", "kube-system", "10.0.0.0-24");
    private static readonly Uri Server = new("https://127.0.0.1:6443/");

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public void ForStatus_Transient_IsUnavailableWithRetryAfter(HttpStatusCode code)
    {
        var ex = KubeErrors.ForStatus(code, new V1Status { Message = "busy" }, TimeSpan.FromSeconds(3), PatchPool, Server);

        var unavailable = Assert.IsType<StoreUnavailableException>(ex);
        Assert.Equal(TimeSpan.FromSeconds(3), unavailable.RetryAfter);
        Assert.Contains("busy", ex.Message, StringComparison.Ordinal);
        Assert.Contains("patch ippools.whereabouts.cni.cncf.io 10.0.0.0-24 in namespace kube-system", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, "etcdserver: request is too large")]
    [InlineData(HttpStatusCode.RequestEntityTooLarge, "too big")]
    public void ForStatus_TooLarge_IsLimitExceeded(HttpStatusCode code, string message)
    {
        var ex = KubeErrors.ForStatus(code, new V1Status { Message = message }, null, PatchPool, Server);

        Assert.IsType<StoreLimitExceededException>(ex);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.Contains("split the range", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.MethodNotAllowed)]
    [InlineData(HttpStatusCode.UnsupportedMediaType)]
    public void ForStatus_OtherFailures_AreDataErrors(HttpStatusCode code)
    {
        Assert.IsType<StoreDataException>(KubeErrors.ForStatus(code, null, null, PatchPool, Server));
    }

    [Fact]
    public void ForStatus_NotFoundOnList_SuggestsMissingCrds()
    {
        var ex = KubeErrors.ForStatus(HttpStatusCode.NotFound, null, null, PatchPool with { Verb = "list", Name = null }, Server);

        Assert.Contains("CRDs installed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AccessDenied_Forbidden_NamesKubeconfigVerbResourceGroupAndNamespace()
    {
        var status = new V1Status
        {
            Code = 403,
            Reason = "Forbidden",
            Message = "ippools.whereabouts.cni.cncf.io \"10.0.0.0-24\" is forbidden: User \"x\" cannot patch resource \"ippools\"",
            Details = new V1StatusDetails { Name = "10.0.0.0-24", Group = "whereabouts.cni.cncf.io", Kind = "ippools" },
        };

        var ex = KubeErrors.AccessDenied(HttpStatusCode.Forbidden, status, PatchPool, "/etc/cni/net.d/whereabouts.d/whereabouts.kubeconfig");

        Assert.Contains("/etc/cni/net.d/whereabouts.d/whereabouts.kubeconfig", ex.Message, StringComparison.Ordinal);
        Assert.Contains("may not patch ippools.whereabouts.cni.cncf.io in namespace kube-system", ex.Message, StringComparison.Ordinal);
        Assert.Contains("verb \"patch\" on resource \"ippools\" in API group \"whereabouts.cni.cncf.io\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains("cannot patch resource", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AccessDenied_Unauthorized_NamesKubeconfig()
    {
        var ex = KubeErrors.AccessDenied(HttpStatusCode.Unauthorized, new V1Status { Message = "Unauthorized" }, PatchPool, "/k/config");

        Assert.Contains("credentials of kubeconfig /k/config (401 Unauthorized)", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("7", 7.0)]
    [InlineData(" 12 ", 12.0)]
    [InlineData("0", 0.0)]
    public void RetryAfter_Seconds_AreRead(string header, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), KubeErrors.RetryAfter(Failure(header), null));
    }

    [Fact]
    public void RetryAfter_HttpDate_IsTheTimeUntilThen()
    {
        var at = DateTimeOffset.UtcNow.AddSeconds(30).ToString("r", System.Globalization.CultureInfo.InvariantCulture);

        var wait = KubeErrors.RetryAfter(Failure(at), null);

        Assert.InRange(wait!.Value, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(31));
    }

    [Fact]
    public void RetryAfter_NoHeader_FallsBackToStatusDetails()
    {
        var status = new V1Status { Details = new V1StatusDetails { RetryAfterSeconds = 4 } };

        Assert.Equal(TimeSpan.FromSeconds(4), KubeErrors.RetryAfter(Failure(null), status));
        Assert.Null(KubeErrors.RetryAfter(Failure(null), null));
    }

    [Fact]
    public void ParseStatus_StatusJson_ReadsMessageReasonAndDetails()
    {
        var status = KubeErrors.ParseStatus(
            """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"nope","reason":"Forbidden","details":{"group":"g","kind":"ippools"},"code":403}""");

        Assert.Equal("nope", status!.Message);
        Assert.Equal("Forbidden", status.Reason);
        Assert.Equal("ippools", status.Details.Kind);
        Assert.Equal(403, status.Code);
    }

    [Fact]
    public void ParseStatus_ProxyText_KeepsFirstLine()
    {
        Assert.Equal("502 Bad Gateway", KubeErrors.ParseStatus("502 Bad Gateway\n<html>…</html>")!.Message);
        Assert.Null(KubeErrors.ParseStatus("  "));
    }

    private static HttpOperationException Failure(string? retryAfter)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        if (retryAfter is not null)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        }

        return new HttpOperationException("429") { Response = new HttpResponseMessageWrapper(response, string.Empty) };
    }
}
