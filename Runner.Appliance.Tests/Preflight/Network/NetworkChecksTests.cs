using Runner.Appliance.Features.AnswerFile;
using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Features.Configuration;
using Runner.Appliance.Features.Preflight;
using Runner.Appliance.Features.Preflight.Network;
using Runner.Appliance.Features.Zones;
using Runner.Appliance.Tests.Infrastructure;
using Runner.Appliance.Tests.Peers;

namespace Runner.Appliance.Tests.Preflight.Network;

/// <summary>Zone checks against a real dnsmasq and chronyd on loopback, and sshd hosts in network namespaces for addresses in use.</summary>
public sealed class NetworkChecksTests
{
    private static readonly VirtualMachineDto Vault = Vm(1, "prod-vault-01", "10.231.20.50");
    private static readonly VirtualMachineDto Registry = Vm(2, "prod-registry-01", "10.231.20.51");

    [Fact]
    public async Task AZoneWithWorkingDnsAndNtp_AndRecordsForItsVms_Passes()
    {
        using var peers = new NetworkPeers([("prod-vault-01.example.local", "10.231.20.50"), ("prod-registry-01.example.local", "10.231.20.51")]);

        var results = await RunAsync(Zone(), [Vault, Registry], addressesPlanned: false);

        Assert.Equal(CheckStatus.Passed, results.Get("zones.lan_infra.dns").Status);
        Assert.Equal("All 2 VMs of LAN_INFRA resolve both ways on 127.0.1.53.", results.Get("zones.lan_infra.dns-records").Message);
        Assert.Matches(@"^127\.0\.1\.123 stratum 8, offset [+-]0\.\d{3} s$", results.Get("zones.lan_infra.ntp").Message);
        Assert.Equal(CheckStatus.Passed, results.Get("zones.lan_infra.gateway").Status);
    }

    [Fact]
    public async Task MissingAndWrongRecords_AreAWarningNamingEachName()
    {
        using var peers = new NetworkPeers([("prod-vault-01.example.local", "10.231.20.99")]);

        var result = (await RunAsync(Zone(), [Vault, Registry], addressesPlanned: false)).Get("zones.lan_infra.dns-records");

        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.False(result.Blocks);
        Assert.Contains("prod-vault-01.example.local points to 10.231.20.99 instead of 10.231.20.50", result.Message, StringComparison.Ordinal);
        Assert.Contains("prod-registry-01.example.local has no A record", result.Message, StringComparison.Ordinal);
        Assert.Contains("10.231.20.51 has no PTR record", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADnsServerThatDoesNotAnswer_FailsAtTheDnsField_WithinTheBound()
    {
        using var peers = new NetworkPeers([]);
        var zone = Zone();
        zone.DnsServers = [NetworkPeers.DnsServer, "127.0.1.54"];
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var result = (await RunAsync(zone, [], addressesPlanned: false)).Get("zones.lan_infra.dns");

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.StartsWith("DNS server 127.0.1.54 (", result.Message, StringComparison.Ordinal);
        Assert.EndsWith("of zone LAN_INFRA did not answer on port 53: check the address and that UDP/TCP 53 is open from the appliance.", result.Message, StringComparison.Ordinal);
        Assert.Equal("wizard/zones?edit=zones:7&field=dnsServers&check=zones.lan_infra.dns", result.Link);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task AnApplianceClockOffByFiveSeconds_FailsTheNtpCheck()
    {
        using var peers = new NetworkPeers([]);

        var result = (await RunAsync(Zone(), [], addressesPlanned: false, clock: new ShiftedClock(TimeSpan.FromSeconds(5)))).Get("zones.lan_infra.ntp");

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Matches(@"127\.0\.1\.123 answers but the appliance clock is off by -(4\.9|5\.0)\d\d s \(more than 1 s\)", result.Message);
    }

    [Fact]
    public async Task AnNtpServerThatDoesNotAnswer_IsNamed()
    {
        using var peers = new NetworkPeers([]);
        var zone = Zone();
        zone.NtpServers = ["127.0.1.124"];

        var result = (await RunAsync(zone, [], addressesPlanned: false)).Get("zones.lan_infra.ntp");

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Equal("Zone LAN_INFRA: 127.0.1.124 is not an NTP server: nothing answers on UDP 123 (port unreachable).", result.Message);
        Assert.Equal("ntpServers", result.Check.Target!.Field);
    }

    [Fact]
    public async Task APlannedAddressThatAnswersInANamespace_IsInUse_AndBlocks()
    {
        var (privateKey, publicKey) = KeyFactory.SshKeyPair();
        using var targets = new SshTargets("10.231.20", "pfa", privateKey, publicKey, count: 1);
        var taken = Vm(3, "prod-gogs-01", targets.Address(1));

        var result = (await RunAsync(Zone(), [Vault, taken], addressesPlanned: true)).Get("zones.lan_infra.addresses");

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.True(result.Blocks);
        Assert.StartsWith($"1 planned address is already in use: {targets.Address(1)} (planned for prod-gogs-01) answers ping", result.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("10.231.20.50", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnceTheVmsAreProvisioned_TheirAddressesAreNotReportedAsInUse()
    {
        var inputs = CheckHarness.Inputs(Configuration(Zone()), vms: [Vault], provisioned: true);

        var result = (await CheckHarness.RunAsync(new NetworkChecks(GroupRun.Bound(), TimeProvider.System), inputs)).Get("zones.lan_infra.addresses");

        Assert.Equal(CheckStatus.Skipped, result.Status);
    }

    private static async Task<Dictionary<string, CheckResult>> RunAsync(ZoneDto zone, IReadOnlyList<VirtualMachineDto> vms, bool addressesPlanned, TimeProvider? clock = null)
    {
        var results = await CheckHarness.RunAsync(new NetworkChecks(GroupRun.Bound(), clock ?? TimeProvider.System), CheckHarness.Inputs(Configuration(zone), vms: vms));
        if (!addressesPlanned)
            results.Remove("zones.lan_infra.addresses");
        return results;
    }

    private static AnswerFileDocument Configuration(ZoneDto zone) =>
        new() { General = new GeneralSettingsDto { EnvironmentPrefix = "prod", BaseDomain = "example.local" }, Zones = [zone] };

    private static ZoneDto Zone() => new()
    {
        Id = 7, Name = "LAN_INFRA", Subnet = "10.231.20.0/24", Gateway = "127.0.0.1", DnsServers = [NetworkPeers.DnsServer], NtpServers = [NetworkPeers.NtpServer],
    };

    private static VirtualMachineDto Vm(int id, string name, string address) => new() { Id = id, HostName = name, IpAddress = address, Zone = "LAN_INFRA" };

    private sealed class ShiftedClock(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + shift;
    }
}
