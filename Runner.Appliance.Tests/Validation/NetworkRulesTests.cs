using Runner.Appliance.Validation;

namespace Runner.Appliance.Tests.Validation;

public sealed class NetworkRulesTests
{
    [Theory]
    [InlineData("vcenter", true)]
    [InlineData("vcenter-01.infra.example.local", true)]
    [InlineData("vcenter.example.local.", true)]
    [InlineData("-vcenter", false)]
    [InlineData("vcenter-", false)]
    [InlineData("vc_enter", false)]
    [InlineData("host.123", false)]
    [InlineData("", false)]
    public void HostNames_FollowRfc1123(string name, bool valid) => Assert.Equal(valid, NetworkRules.IsHostName(name));

    [Theory]
    [InlineData("10.1.2.3", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("255.255.255.255", true)]
    [InlineData("10.1.2", false)]
    [InlineData("10.1.2.3.4", false)]
    [InlineData("10.1.2.256", false)]
    [InlineData("10.01.2.3", false)]
    [InlineData(" 10.1.2.3 ", true)]
    [InlineData("10.1.2.-3", false)]
    public void Ipv4_IsStrictDottedQuad(string text, bool valid) => Assert.Equal(valid, Ipv4.TryParse(text, out _));

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(65535, true)]
    [InlineData(65536, false)]
    public void Ports_AreFrom1To65535(int port, bool valid) => Assert.Equal(valid, NetworkRules.IsPort(port));

    [Theory]
    [InlineData("https://sms.example.local/api", true)]
    [InlineData("http://10.1.0.5:8080", true)]
    [InlineData("sms.example.local/api", false)]
    [InlineData("ftp://sms.example.local", false)]
    [InlineData("https://", false)]
    public void Urls_NeedAnAllowedScheme(string url, bool valid) => Assert.Equal(valid, NetworkRules.IsUrl(url, "http", "https"));

    [Theory]
    [InlineData("deploy@example.local", true)]
    [InlineData("Runner <deploy@example.local>", false)]
    [InlineData("deploy@localhost", false)]
    [InlineData("deploy.example.local", false)]
    public void Emails_AreBareAddressesOnADomain(string email, bool valid) => Assert.Equal(valid, NetworkRules.IsEmail(email));

    [Fact]
    public void Networks_KnowTheirBoundsAndOverlaps()
    {
        Assert.True(Ipv4Network.TryParse("10.1.100.0/23", out var wide, out _));
        Assert.True(Ipv4Network.TryParse("10.1.101.0/24", out var inside, out _));
        Assert.True(Ipv4Network.TryParse("10.1.102.0/24", out var next, out _));

        Assert.Equal("10.1.101.255", Ipv4.Format(wide.Broadcast));
        Assert.True(wide.Overlaps(inside));
        Assert.False(wide.Overlaps(next));
        Assert.Equal(512, wide.Size);
    }
}
