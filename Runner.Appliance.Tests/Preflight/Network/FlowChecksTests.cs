using Microsoft.Extensions.Options;
using Runner.Appliance.Features.AnswerFile;
using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Features.Flows;
using Runner.Appliance.Features.Preflight;
using Runner.Appliance.Features.Preflight.Network;
using Runner.Appliance.Tests.Infrastructure;
using Runner.Appliance.Tests.Peers;

namespace Runner.Appliance.Tests.Preflight.Network;

/// <summary>Flows from the appliance's zone, probed against real sshd hosts in namespaces and a silent private network.</summary>
public sealed class FlowChecksTests
{
    private static readonly FlowRuleDto SshToVault = new() { Id = 5, Source = "LAN_INFRA", Destination = "LAN_APPS:vault", Protocol = FlowProtocol.Tcp, Ports = "22" };

    [Fact]
    public async Task AFlowToVmsThatAnswer_IsOpen_AndOneToASilentAddress_IsNamedAsFiltered()
    {
        var (privateKey, publicKey) = KeyFactory.SshKeyPair();
        using var targets = new SshTargets("10.231.22", "pfl", privateKey, publicKey, count: 1);
        using var silent = new PrivateNetwork("10.231.23", "rflow0");

        var open = await RunAsync(SshToVault, [Vm("prod-vault-01", targets.Address(1))]);
        var filtered = await RunAsync(SshToVault, [Vm("prod-vault-01", targets.Address(1)), Vm("prod-vault-02", "10.231.23.20")]);

        Assert.Equal(CheckStatus.Passed, open.Status);
        Assert.Equal(CheckStatus.Failed, filtered.Status);
        Assert.StartsWith("Filtered from the appliance: prod-vault-02 (10.231.23.20):22 no answer within 2 s.", filtered.Message, StringComparison.Ordinal);
        Assert.Equal("wizard/flows?edit=flows:5&field=destination&check=flows.5.probe", filtered.Link);
    }

    [Fact]
    public async Task BeforeTheVmsExist_TheFlowIsSkipped_AndFlowsFromOtherZonesOrNotTcp_AreSkippedWithTheReason()
    {
        var fromApps = new FlowRuleDto { Id = 6, Source = "LAN_APPS", Destination = "DMZ", Protocol = FlowProtocol.Tcp, Ports = "443" };
        var dns = new FlowRuleDto { Id = 7, Source = "LAN_INFRA", Destination = "LAN_APPS", Protocol = FlowProtocol.Udp, Ports = "53" };
        var inputs = CheckHarness.Inputs(new AnswerFileDocument { Flows = [SshToVault, fromApps, dns] }, vms: [Vm("prod-vault-01", "10.231.23.21")], provisioned: false);

        var results = await CheckHarness.RunAsync(Source(), inputs);

        Assert.Equal(["flows.5.probe", "flows.6.probe", "flows.7.probe"], results.Keys.Order());
        Assert.All(results.Values, r => Assert.Equal(CheckStatus.Skipped, r.Status));
        Assert.Contains("not provisioned yet", results["flows.5.probe"].Message);
        Assert.Contains("Only flows from the appliance's zone (LAN_INFRA) are probed; this one starts in LAN_APPS", results["flows.6.probe"].Message);
        Assert.Contains("A UDP flow has no connection to try", results["flows.7.probe"].Message);
    }

    private static async Task<CheckResult> RunAsync(FlowRuleDto flow, IReadOnlyList<VirtualMachineDto> vms) =>
        (await CheckHarness.RunAsync(Source(), CheckHarness.Inputs(new AnswerFileDocument { Flows = [flow] }, vms: vms, provisioned: true))).Get($"flows.{flow.Id}.probe");

    private static FlowChecks Source() => new(new SizingFile(SizingFile.LoadEmbedded()), Options.Create(new PreflightOptions()));

    private static VirtualMachineDto Vm(string name, string address) => new() { Id = 1, HostName = name, IpAddress = address, Zone = "LAN_APPS", Group = "vault" };
}
