using Runner.Appliance.Features.Flows;

namespace Runner.Appliance.Tests.Flows;

public sealed class FlowRuleValidatorTests
{
    private static readonly string[] Zones = ["LAN_INFRA", "LAN_APPS", "DMZ"];

    private static FlowRuleDto Https(Action<FlowRuleDto>? change = null)
    {
        var f = new FlowRuleDto { Source = "DMZ:lb-dmz", Destination = "LAN_APPS:rke2-apps", Protocol = FlowProtocol.Tcp, Ports = "443" };
        change?.Invoke(f);
        return f;
    }

    [Theory]
    [InlineData("443")]
    [InlineData("8000-8100")]
    [InlineData("80, 443, 8443")]
    public void GoodPorts_AreAccepted(string ports) => Assert.True(FlowRuleValidator.Validate(Https(f => f.Ports = ports), [], Zones).IsEmpty);

    [Fact]
    public void IcmpWithoutPorts_IsAccepted() =>
        Assert.True(FlowRuleValidator.Validate(Https(f => { f.Protocol = FlowProtocol.Icmp; f.Ports = null; }), [], Zones).IsEmpty);

    [Theory]
    [InlineData("source", "", "Source is required")]
    [InlineData("source", "CORE", "Source zone 'CORE' does not exist; known zones: LAN_INFRA, LAN_APPS, DMZ")]
    [InlineData("destination", "LAN_APPS:rke2_apps", "is not valid; expected ZONE or ZONE:vm-group")]
    [InlineData("destination", "LAN_APPS:a:b", "is not valid")]
    [InlineData("ports", "", "Ports are required for TCP")]
    [InlineData("ports", "0", "are not valid at '0'")]
    [InlineData("ports", "65536", "expected ports from 1 to 65535")]
    [InlineData("ports", "https", "are not valid at 'https'")]
    [InlineData("ports", "9000-8000", "runs backwards")]
    [InlineData("ports", "80,,443", "are not valid at ''")]
    public void BadField_IsRejectedNamingIt(string field, string value, string message)
    {
        var input = Https(f =>
        {
            if (field == "source") f.Source = value;
            else if (field == "destination") f.Destination = value;
            else f.Ports = value;
        });

        var errors = FlowRuleValidator.Validate(input, [], Zones);

        Assert.Equal([field], errors.Fields);
        Assert.Contains(message, errors.For(field));
    }

    [Fact]
    public void IcmpWithPorts_AndADuplicateFlow_AreRejected()
    {
        Assert.Contains("ICMP has no ports", FlowRuleValidator.Validate(Https(f => f.Protocol = FlowProtocol.Icmp), [], Zones).For("ports"));
        Assert.Contains("is already in the matrix", FlowRuleValidator.Validate(Https(), [Https(f => f.Id = 4)], Zones).For("ports"));
    }

    [Fact]
    public void WithNoZoneYet_TheMessageSaysToAddZonesFirst() =>
        Assert.Contains("none yet (add zones first)", FlowRuleValidator.Validate(Https(), [], []).For("source"));

    [Theory]
    [InlineData("LAN_APPS:rke2-apps", null)]
    [InlineData("LAN_APPS:rke2-apps-agent", null)]
    [InlineData("DMZ:lb-dmz", null)]
    [InlineData("LAN_APPS:rke2-app", "Destination group 'rke2-app' is not a VM group of zone LAN_APPS; expected one of rke2-apps, rke2-apps-server, rke2-apps-agent, rke2-middleware, ")]
    [InlineData("LAN_APPS:vault", "Destination group 'vault' is not a VM group of zone LAN_APPS")]
    public void WithTheSizing_AGroupMustBeOneTheSizingPutsInThatZone(string destination, string? message)
    {
        var errors = FlowRuleValidator.Validate(Https(f => f.Destination = destination), [], Zones, Runner.Appliance.Features.Architecture.SizingFile.LoadEmbedded());

        if (message is null)
            Assert.True(errors.IsEmpty, errors.For("destination"));
        else
            Assert.StartsWith(message, errors.For("destination"), StringComparison.Ordinal);
    }
}
