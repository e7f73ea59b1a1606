namespace Whereabouts.Ipam.Tests;

public sealed class GatewaySelectorTests
{
    [Theory]
    // ranges, configured gateway, GATEWAY overrides, expected gateway per range ("-" for none)
    [InlineData("10.0.0.0/24", "10.0.0.1", "", "10.0.0.1")]
    [InlineData("10.0.0.0/24", null, "", "-")]
    [InlineData("10.0.0.0/24,fd00::/64", "10.0.0.1", "", "10.0.0.1,-")]
    [InlineData("10.0.0.0/24,fd00::/64", "fd00::1", "", "-,fd00::1")]
    [InlineData("10.0.0.0/24,10.1.0.0/24", "10.1.0.1", "", "-,10.1.0.1")]
    [InlineData("10.0.0.0/24,10.1.0.0/24,fd00::/64", "192.168.1.1", "", "192.168.1.1,192.168.1.1,-")]
    [InlineData("10.0.0.0/24,fd00::/64", "10.0.0.1", "10.0.0.254", "10.0.0.254,-")]
    [InlineData("10.0.0.0/24,fd00::/64", "10.0.0.1", "fd00::fe", "10.0.0.1,fd00::fe")]
    [InlineData("10.0.0.0/24,10.1.0.0/24", null, "10.1.0.254", "-,10.1.0.254")]
    [InlineData("10.0.0.0/24", "10.0.0.1", "172.16.0.1", "10.0.0.1")]
    [InlineData("10.0.0.0/24", "10.0.0.1", "10.0.0.7,10.0.0.9", "10.0.0.7")]
    public void ForRanges_Table_GatewayOfTheRightFamilyAndRange(string ranges, string? gateway, string overrides, string expected)
    {
        var config = Configs.Of(ranges.Split(','));

        var result = GatewaySelector.ForRanges(
            config.Ranges,
            gateway is null ? null : Ip.Parse(gateway),
            [.. overrides.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Ip.Parse)]);

        Assert.Equal(expected.Split(','), result.Select(g => g?.ToString() ?? "-"));
    }

    [Fact]
    public async Task AllocateAsync_DualStack_GatewayOnlyOnItsFamilyAndNeverHandedOut()
    {
        var config = Configs.Of("10.0.0.0/30", "fd00::/126") with { Gateway = Ip.Parse("10.0.0.1") };
        var service = Services.Over(new FakeIpamStore());

        var result = await service.AllocateAsync(new AllocationRequest(config, Pod(1)), CancellationToken.None);

        Assert.Equal(["10.0.0.2", "fd00::1"], result.Select(a => a.Address.ToString()));
        Assert.Equal([Ip.Parse("10.0.0.1"), null], result.Select(a => a.Gateway));
        await Assert.ThrowsAsync<Errors.PoolExhaustedException>(() => service.AllocateAsync(new AllocationRequest(config, Pod(2)), CancellationToken.None));
    }

    [Fact]
    public async Task AllocateAsync_GatewayOverride_ReplacesTheGatewayAndIsNeverHandedOut()
    {
        var config = Configs.Of("10.0.0.0/29") with { Gateway = Ip.Parse("10.0.0.1") };
        var service = Services.Over(new FakeIpamStore());
        var handedOut = new List<Ip>();

        for (var i = 0; i < 5; i++)
        {
            var result = await service.AllocateAsync(
                new AllocationRequest(config, Pod(i)) { GatewayOverrides = [Ip.Parse("10.0.0.4")] }, CancellationToken.None);
            var address = Assert.Single(result);
            Assert.Equal(Ip.Parse("10.0.0.4"), address.Gateway);
            handedOut.Add(address.Address);
        }

        Assert.DoesNotContain(Ip.Parse("10.0.0.4"), handedOut);
        Assert.Equal(5, handedOut.Distinct().Count());
    }
}
