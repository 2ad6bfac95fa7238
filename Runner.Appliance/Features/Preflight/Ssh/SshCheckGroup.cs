using System.Text;
using Renci.SshNet;
using Renci.SshNet.Common;
using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Features.SecuritySettings;

namespace Runner.Appliance.Features.Preflight.Ssh;

/// <summary>The key pair, then one login per VM, side by side: each login is one conversation, bounded by the check timeout.</summary>
internal sealed class SshCheckGroup : CheckGroup
{
    private const string Category = "SSH";
    private const int Parallel = 16;
    private readonly SecuritySettingsDto _security;
    private readonly TimeSpan _loginTimeout;
    private readonly string? _key, _passphrase;
    private readonly CheckDefinition _pair;
    private readonly CheckDefinition? _notProvisioned;
    private readonly List<(CheckDefinition Check, VirtualMachineDto Vm)> _logins = [];

    public SshCheckGroup(SecuritySettingsDto security, string? key, string? passphrase, IReadOnlyList<VirtualMachineDto> vms, PreflightOptions bounds)
        : base("security", bounds.SideBySideTimeout)
    {
        (_security, _key, _passphrase, _loginTimeout) = (security, key, passphrase, bounds.CheckTimeout);
        _pair = Define("security.ssh.keypair", Category, "SSH key pair matches", CheckSeverity.Blocking, FieldRef.ForStep("wizard/security", "Deployment user", "sshPrivateKey"));
        if (vms.Count == 0)
            _notProvisioned = Define("security.ssh.login", Category, "Deployment user logs in to the VMs", CheckSeverity.Blocking, FieldRef.ForStep("wizard/security", "Deployment user", "deploymentUser"));
        foreach (var vm in vms.Where(v => !string.IsNullOrEmpty(v.IpAddress)))
            _logins.Add((Define($"vms.{vm.HostName}.ssh", Category, $"{security.DeploymentUser} logs in to {vm.HostName}", CheckSeverity.Blocking,
                new FieldRef("Architecture", vm.HostName ?? "", "ipAddress", $"wizard/architecture?edit={vm.Id}")), vm));
    }

    public override async Task RunAsync(CheckReport report, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(_key))
        {
            Stop(report, _pair, CheckOutcome.Failed("No SSH private key is stored for the deployment user; generate or upload one."), "No SSH key.");
            return;
        }
        if (KeyMaterial.SshKeyProblem(_key, _passphrase) is { } problem)
        {
            Stop(report, _pair, CheckOutcome.Failed($"The SSH private key {problem}.", problem.Contains("passphrase", StringComparison.Ordinal) ? "sshPassphrase" : null), "The SSH key cannot be used.");
            return;
        }
        var derived = await SshKeys.PublicKeyOfAsync(_key, _passphrase, ct);
        report.Report(_pair, derived is not null && KeyBody(derived) == KeyBody(_security.SshPublicKey)
            ? CheckOutcome.Passed($"The private key's public half is the one given to the VMs ({KeyBody(derived)[..Math.Min(24, KeyBody(derived).Length)]}…).")
            : CheckOutcome.Failed("The stored public key is not the public half of the private key; save the security step again to derive it."));
        if (_notProvisioned is not null)
        {
            report.Report(_notProvisioned, CheckOutcome.Skipped("The VMs are not provisioned yet (role provision-vms has not succeeded): their logins are checked once they exist."));
            return;
        }
        using var slots = new SemaphoreSlim(Parallel);
        await Task.WhenAll(_logins.Select(async login =>
        {
            await slots.WaitAsync(ct);
            try
            {
                report.Report(login.Check, await LoginAsync(login.Vm, ct));
            }
            finally
            {
                slots.Release();
            }
        }));
    }

    private async Task<CheckOutcome> LoginAsync(VirtualMachineDto vm, CancellationToken ct)
    {
        var user = _security.DeploymentUser ?? "";
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(_key!.Trim() + "\n"));
        using var key = string.IsNullOrEmpty(_passphrase) ? new PrivateKeyFile(stream) : new PrivateKeyFile(stream, _passphrase);
        var connection = new Renci.SshNet.ConnectionInfo(vm.IpAddress!, 22, user, new PrivateKeyAuthenticationMethod(user, key)) { Timeout = _loginTimeout };
        using var client = new SshClient(connection);
        try
        {
            await client.ConnectAsync(ct);
            return CheckOutcome.Passed($"{user}@{vm.IpAddress} accepted the deployment key.");
        }
        catch (SshAuthenticationException)
        {
            return CheckOutcome.Failed($"{vm.HostName} ({vm.IpAddress}) refused the deployment key for user {user}: the VM template or cloud-init did not install it.");
        }
        catch (Exception e) when (e is SshException or System.Net.Sockets.SocketException or SshOperationTimeoutException or TimeoutException)
        {
            return CheckOutcome.Failed($"{vm.HostName} ({vm.IpAddress}) does not answer on SSH port 22: {e.Message}");
        }
    }

    private static string KeyBody(string? openSshKey) => openSshKey?.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, var body, ..] ? body : "";
}
