using Runner.Appliance.Features.Zones;

namespace Runner.Appliance.Tests.Zones;

public sealed class ZoneValidatorTests
{
    private static ZoneDto Good(Action<ZoneDto>? change = null)
    {
        var zone = new ZoneDto
        {
            Name = "LAN_INFRA",
            VlanId = 100,
            Subnet = "10.1.100.0/24",
            Gateway = "10.1.100.1",
            DnsServers = ["10.1.0.10", "10.1.0.11"],
            NtpServers = ["10.1.0.20", "ntp.example.local"],
            SearchDomain = "infra.example.local",
            RangeStart = "10.1.100.50",
            RangeEnd = "10.1.100.99",
            ExcludedAddresses = ["10.1.100.60"],
            Hypervisor = "vcenter-prod",
        };
        change?.Invoke(zone);
        return zone;
    }

    private static readonly string[] Hypervisors = ["vcenter-prod"];

    private static readonly ZoneDto Apps = new()
    {
        Id = 2, Name = "LAN_APPS", VlanId = 200, Subnet = "10.1.200.0/24", Gateway = "10.1.200.1",
        DnsServers = ["10.1.0.10"], NtpServers = ["10.1.0.20"], RangeStart = "10.1.200.10", RangeEnd = "10.1.200.50",
    };

    [Fact]
    public void AGoodZone_IsAccepted() => Assert.True(ZoneValidator.Validate(Good(), [Apps], Hypervisors).IsEmpty);

    [Fact]
    public void A31Subnet_AndNoOptionalFields_AreAccepted() =>
        Assert.True(ZoneValidator.Validate(Good(z => { z.SearchDomain = null; z.ExcludedAddresses = []; }), [], Hypervisors).IsEmpty);

    public static TheoryData<string, Action<ZoneDto>, string, string> BadZones() => new()
    {
        { "empty name", z => z.Name = "", "name", "Zone name is required" },
        { "lower-case name", z => z.Name = "lan_infra", "name", "capital letters" },
        { "name with a dash", z => z.Name = "LAN-INFRA", "name", "capital letters" },
        { "name taken", z => z.Name = "LAN_APPS", "name", "'LAN_APPS' is already used" },
        { "VLAN 0", z => z.VlanId = 0, "vlanId", "VLAN 0 is out of range; expected a VLAN ID from 1 to 4094" },
        { "VLAN 4095", z => z.VlanId = 4095, "vlanId", "VLAN 4095 is out of range" },
        { "VLAN taken", z => z.VlanId = 200, "vlanId", "VLAN 200 is already used by zone LAN_APPS" },
        { "no subnet", z => z.Subnet = "", "subnet", "Subnet is required" },
        { "subnet without prefix", z => z.Subnet = "10.1.100.0", "subnet", "is not in CIDR form" },
        { "subnet with a host address", z => z.Subnet = "10.1.100.5/24", "subnet", "did you mean 10.1.100.0/24?" },
        { "subnet prefix /33", z => z.Subnet = "10.1.100.0/33", "subnet", "prefix length outside 8 to 30" },
        { "subnet octet 256", z => z.Subnet = "10.1.256.0/24", "subnet", "is not in CIDR form" },
        { "subnet with leading zero", z => z.Subnet = "10.01.100.0/24", "subnet", "is not in CIDR form" },
        { "overlapping subnet", z => { z.Subnet = "10.1.200.0/23"; z.Gateway = "10.1.200.1"; z.RangeStart = "10.1.201.10"; z.RangeEnd = "10.1.201.20"; z.ExcludedAddresses = []; }, "subnet", "overlaps zone LAN_APPS (10.1.200.0/24)" },
        { "no gateway", z => z.Gateway = " ", "gateway", "Gateway is required" },
        { "gateway not an address", z => z.Gateway = "gw.local", "gateway", "is not an IPv4 address" },
        { "gateway outside the subnet", z => z.Gateway = "10.1.200.1", "gateway", "Gateway 10.1.200.1 is outside subnet 10.1.100.0/24" },
        { "gateway is the network address", z => z.Gateway = "10.1.100.0", "gateway", "is the network address of 10.1.100.0/24" },
        { "gateway is the broadcast address", z => z.Gateway = "10.1.100.255", "gateway", "is the broadcast address" },
        { "no DNS server", z => z.DnsServers = [], "dnsServers", "At least one DNS server is required" },
        { "DNS server by name", z => z.DnsServers = ["dns1.example.local"], "dnsServers", "'dns1.example.local' is not an IPv4 address" },
        { "DNS server typo", z => z.DnsServers = ["10.1.0.300"], "dnsServers", "'10.1.0.300' is not an IPv4 address" },
        { "no NTP server", z => z.NtpServers = [" "], "ntpServers", "At least one NTP server is required" },
        { "NTP server garbage", z => z.NtpServers = ["ntp_server!"], "ntpServers", "is not an IPv4 address or host name" },
        { "bad search domain", z => z.SearchDomain = "infra", "searchDomain", "is not a DNS domain name" },
        { "no range start", z => z.RangeStart = "", "rangeStart", "Range start is required" },
        { "range start outside", z => z.RangeStart = "10.1.101.5", "rangeStart", "is not a host address of subnet 10.1.100.0/24" },
        { "range end is broadcast", z => z.RangeEnd = "10.1.100.255", "rangeEnd", "is not a host address" },
        { "range end not an address", z => z.RangeEnd = "10.1.100", "rangeEnd", "is not an IPv4 address" },
        { "range reversed", z => { z.RangeStart = "10.1.100.99"; z.RangeEnd = "10.1.100.50"; }, "rangeEnd", "comes before range start" },
        { "range holds the gateway", z => z.RangeStart = "10.1.100.1", "rangeStart", "contains the gateway 10.1.100.1" },
        { "no hypervisor", z => z.Hypervisor = "", "hypervisor", "Hypervisor is required" },
        { "unknown hypervisor", z => z.Hypervisor = "esxi-9", "hypervisor", "Hypervisor 'esxi-9' does not exist; known hypervisors: vcenter-prod" },
        { "excluded address outside the range", z => z.ExcludedAddresses = ["10.1.100.200"], "excludedAddresses", "not an IPv4 address inside the reserved range" },
    };

    [Theory]
    [MemberData(nameof(BadZones))]
    public void ABadField_IsRejectedNamingTheFieldWhatIsWrongAndWhatIsExpected(string because, Action<ZoneDto> change, string field, string message)
    {
        var errors = ZoneValidator.Validate(Good(change), [Apps], Hypervisors);

        Assert.True(errors.Has(field), $"{because}: expected an error on '{field}', got: {string.Join(", ", errors.Fields)}");
        Assert.Contains(message, errors.For(field));
        Assert.Equal([field], errors.Fields);
    }

    [Fact]
    public void UpdatingAZone_DoesNotClashWithItself()
    {
        var apps = Good(z => { z.Id = 2; z.Name = "LAN_APPS"; z.VlanId = 200; });

        Assert.False(ZoneValidator.Validate(apps, [Apps], Hypervisors).Has("vlanId"));
        Assert.False(ZoneValidator.Validate(apps, [Apps], Hypervisors).Has("name"));
    }
}
