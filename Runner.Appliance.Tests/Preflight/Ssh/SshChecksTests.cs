using Runner.Appliance.Features.AnswerFile;
using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Features.Preflight;
using Runner.Appliance.Features.Preflight.Ssh;
using Runner.Appliance.Features.SecuritySettings;
using Runner.Appliance.Tests.Infrastructure;
using Runner.Appliance.Tests.Peers;

namespace Runner.Appliance.Tests.Preflight.Ssh;

/// <summary>The deployment key: the pair matches; once VMs exist, the deployment user logs in to each (real sshd in namespaces).</summary>
public sealed class SshChecksTests
{
    [Fact]
    public async Task BeforeProvisioning_ThePairIsChecked_AndTheLoginsWaitForTheVms()
    {
        var (privateKey, publicKey) = KeyFactory.SshKeyPair();

        var results = await RunAsync(privateKey, publicKey.Trim(), [], provisioned: false);

        Assert.Equal(CheckStatus.Passed, results.Get("security.ssh.keypair").Status);
        Assert.Equal(CheckStatus.Skipped, results.Get("security.ssh.login").Status);
        Assert.StartsWith("The VMs are not provisioned yet", results.Get("security.ssh.login").Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStoredPublicKeyOfAnotherPair_FailsAtThePrivateKeyField()
    {
        var (privateKey, _) = KeyFactory.SshKeyPair();
        var (_, otherPublic) = KeyFactory.SshKeyPair();

        var result = (await RunAsync(privateKey, otherPublic.Trim(), [], provisioned: false)).Get("security.ssh.keypair");

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Equal("The stored public key is not the public half of the private key; save the security step again to derive it.", result.Message);
        Assert.Equal("sshPrivateKey", result.Check.Target!.Field);
    }

    [Fact]
    public async Task OnceProvisioned_TheUserLogsInToEachVm_AndAVmWithoutTheKeyOrSshdIsNamed()
    {
        var (privateKey, publicKey) = KeyFactory.SshKeyPair();
        var (strangerKey, strangerPublic) = KeyFactory.SshKeyPair();
        using var targets = new SshTargets("10.231.24", "pss", strangerKey, strangerPublic, count: 2);
        using var accepting = new SshTargets("10.231.25", "psa", privateKey, publicKey, count: 1);
        targets.Stop(2);
        VirtualMachineDto[] vms = [Vm(1, "prod-vault-01", accepting.Address(1)), Vm(2, "prod-gogs-01", targets.Address(1)), Vm(3, "prod-lb-01", targets.Address(2))];

        var results = await RunAsync(privateKey, publicKey.Trim(), vms, provisioned: true);

        Assert.Equal(CheckStatus.Passed, results.Get("vms.prod-vault-01.ssh").Status);
        var refused = results.Get("vms.prod-gogs-01.ssh");
        Assert.Equal(CheckStatus.Failed, refused.Status);
        Assert.Equal($"prod-gogs-01 ({targets.Address(1)}) refused the deployment key for user runner: the VM template or cloud-init did not install it.", refused.Message);
        Assert.Equal("wizard/architecture?edit=2&field=ipAddress&check=vms.prod-gogs-01.ssh", refused.Link);
        Assert.StartsWith($"prod-lb-01 ({targets.Address(2)}) does not answer on SSH port 22", results.Get("vms.prod-lb-01.ssh").Message, StringComparison.Ordinal);
        Assert.False(results.ContainsKey("security.ssh.login"));
    }

    private static Task<Dictionary<string, CheckResult>> RunAsync(string privateKey, string publicKey, IReadOnlyList<VirtualMachineDto> vms, bool provisioned) =>
        CheckHarness.RunAsync(new SshChecks(GroupRun.Bound()), CheckHarness.Inputs(
            new AnswerFileDocument { Security = new SecuritySettingsDto { DeploymentUser = "runner", SshPublicKey = publicKey } },
            new() { ["security.sshPrivateKey"] = privateKey }, vms, provisioned));

    private static VirtualMachineDto Vm(int id, string name, string address) => new() { Id = id, HostName = name, IpAddress = address, Zone = "LAN_INFRA" };
}
