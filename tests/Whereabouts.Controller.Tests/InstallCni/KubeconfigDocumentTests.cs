using Whereabouts.Controller.InstallCni;

namespace Whereabouts.Controller.Tests.InstallCni;

public sealed class KubeconfigDocumentTests
{
    [Theory]
    [InlineData("eyJhbGciOiJSUzI1NiIsImtpZCI6IiJ9.eyJpc3MiOiJrdWJlcm5ldGVzIn0.c2ln-_")]
    [InlineData("with \"quotes\" and \\backslashes\\")]
    [InlineData("key: value # not a comment")]
    [InlineData("'single' & *alias !tag %directive @ `")]
    [InlineData("line\nbreak\r\nand\ttab")]
    [InlineData("bell\u0007 escape\u001b del\u007f c1\u0085 sep\u2028 bom\ufeff")]
    [InlineData("ünïcödé ✓ 🙂")]
    [InlineData("")]
    public void Render_AnyToken_ParsesBackToTheSameToken(string token)
    {
        var text = KubeconfigDocument.Render("https://10.0.0.1:443", "kube-system", new ServiceAccountCredentials(token, "Q0E="));

        Assert.Equal(token, KubeconfigAssert.StrictTree(text).Token);
    }

    [Fact]
    public void Render_TokenLookingLikeYaml_CannotAddKeys()
    {
        var token = "x\"\n  exec:\n    command: /bin/sh\n";

        var text = KubeconfigDocument.Render("https://10.0.0.1:443", "kube-system", new ServiceAccountCredentials(token, null));

        Assert.Equal(token, KubeconfigAssert.StrictTree(text).Token);
        var plain = KubeconfigDocument.Render("https://10.0.0.1:443", "kube-system", new ServiceAccountCredentials("plain", null));
        Assert.Equal(plain.Split('\n').Length, text.Split('\n').Length);
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("a\"b", "\"a\\\"b\"")]
    [InlineData("a\\b", "\"a\\\\b\"")]
    [InlineData("a\nb", "\"a\\nb\"")]
    [InlineData("\u0001", "\"\\x01\"")]
    [InlineData("\u2029", "\"\\u2029\"")]
    public void Quote_SpecialCharacters_AreEscaped(string value, string expected)
    {
        Assert.Equal(expected, KubeconfigDocument.Quote(value));
    }
}
