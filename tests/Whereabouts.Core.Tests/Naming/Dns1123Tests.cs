using Whereabouts.Core.Naming;

namespace Whereabouts.Core.Tests.Naming;

public sealed class Dns1123Tests
{
    [Theory]
    [InlineData("a")]
    [InlineData("0")]
    [InlineData("10.0.0.0-8")]
    [InlineData("2001---116")]
    [InlineData("2001-db8--0")]
    [InlineData("my-net.example.com")]
    [InlineData("a.b.c")]
    public void IsSubdomain_ValidName_True(string name)
    {
        Assert.True(Dns1123.IsSubdomain(name));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("-a")]
    [InlineData("a-")]
    [InlineData("--1")]
    [InlineData("2001-db8--")]
    [InlineData("A")]
    [InlineData("a_b")]
    [InlineData("a..b")]
    [InlineData(".a")]
    [InlineData("a.")]
    [InlineData("a.-b")]
    [InlineData("a-.b")]
    [InlineData("a:b")]
    [InlineData("a/b")]
    [InlineData("ä")]
    public void IsSubdomain_InvalidName_False(string? name)
    {
        Assert.False(Dns1123.IsSubdomain(name));
    }

    [Fact]
    public void IsSubdomain_Length_LimitedTo253()
    {
        Assert.True(Dns1123.IsSubdomain(new string('a', 253)));
        Assert.False(Dns1123.IsSubdomain(new string('a', 254)));
    }
}
