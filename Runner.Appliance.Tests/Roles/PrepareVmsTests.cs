using System.Text.Json.Nodes;
using Runner.Appliance.Tests.Infrastructure;
using Runner.Appliance.Tests.Peers;
using Xunit.Abstractions;

// Not "…Tests.Roles": that would hide Runner.Appliance.Security.Roles from the other tests; "DeploymentRoles" keeps the filter ~Roles.
namespace Runner.Appliance.Tests.DeploymentRoles;

/// <summary>Two machines for two zones' VMs, the demo site with a proxy that needs a login.</summary>
public sealed class PrepareVmsBed : RoleBed
{
    public const string ProxyPassword = "pr0xy-Secret-4-prepare-vms";

    protected override int MachineCount => 2;

    protected override string[] Packages => ["chrony", "sudo"];

    // Nothing listens there: the proxy is only written, and the repository is reached directly.
    public int ProxyPort { get; } = PeerProcess.FreePort();

    protected override Dictionary<string, object?> Security() => new()
    {
        ["tlsMode"] = "InternalCa", ["proxyEnabled"] = true, ["httpProxy"] = $"http://10.202.250.1:{ProxyPort}", ["noProxy"] = new[] { ".demo.local" },
        ["proxyUsername"] = "deploy", ["proxyPassword"] = new { newValue = ProxyPassword },
    };
}

/// <summary>prepare-vms converged for real on Debian machines (what RHEL-only means here: see the role's README).</summary>
public sealed class PrepareVmsTests(PrepareVmsBed bed, ITestOutputHelper output) : IClassFixture<PrepareVmsBed>
{
    /// <summary>What the test machines cannot do, each through the role's documented variable.</summary>
    public static JsonObject MachineLimits() => new()
    {
        // They share this host's kernel: loading modules is the host's business (and /sys is read-only there).
        ["prepare_vms_kernel_modules_load"] = false,
        // /proc/sys is read-only in them but for net.* (per network namespace).
        ["prepare_vms_sysctl_live_keys"] = new JsonArray("net.ipv4.ip_forward"),
        // swapoff in them would turn this host's swap off.
        ["prepare_vms_swap_off_now"] = false,
        // They share this host's clock: chronyd must never set it.
        ["prepare_vms_chrony_options"] = "-x",
    };

    [Fact]
    public async Task TwoVmsOfTwoZones_AreConverged_AndASecondRunAndACheckRunChangeNothing()
    {
        var (registry, apps) = (bed.Machines[0], bed.Machines[1]);
        var hosts = new Dictionary<string, SystemdMachine> { ["demo-registry-01"] = registry, ["demo-rke2-apps-server-01"] = apps };

        var first = await bed.RunAsync("prepare-vms", hosts, MachineLimits());
        first.AssertSucceeded("first run");
        var second = await bed.RunAsync("prepare-vms", hosts, MachineLimits());
        second.AssertSucceeded("second run");
        var check = await bed.RunAsync("prepare-vms", hosts, MachineLimits(), check: true);
        check.AssertSucceeded("check run");
        output.WriteLine($"setup {bed.SetupTime.TotalSeconds:0.0} s; first: {first.Summary}; second: {second.Summary}; check: {check.Summary}");
        Assert.True(first.Changed > 0, first.Output);
        Assert.True(second.Changed == 0, second.Output);
        Assert.True(check.Changed == 0, check.Output);
        // What the machines could not do is said, not silently skipped.
        Assert.Contains("are written for the next boot only: prepare_vms_kernel_modules_load is false", first.Output, StringComparison.Ordinal);
        Assert.Contains("Swap is turned off in fstab only", first.Output, StringComparison.Ordinal);

        foreach (var (name, machine) in hosts)
        {
            Assert.Equal(name, (await machine.ExecAsync("hostname")).Trim());
            var resolv = await machine.ExecAsync("cat /etc/resolv.conf");
            Assert.Contains("search demo.local", resolv, StringComparison.Ordinal);
            Assert.Contains("nameserver 127.0.0.53", resolv, StringComparison.Ordinal);
            Assert.Contains("server 127.0.0.123 iburst", await machine.ExecAsync("cat /etc/chrony/chrony.conf"), StringComparison.Ordinal);
            Assert.Equal("active", (await machine.ExecAsync("systemctl is-active chrony")).Trim());
            // The appliance's repository is apt's only source.
            Assert.Equal("/etc/apt/sources.list.d/runner-appliance.list", (await machine.ExecAsync("ls /etc/apt/sources.list.d/*")).Trim());
            Assert.Contains($"{bed.Machines.Gateway}:", await machine.ExecAsync("apt-cache policy chrony"), StringComparison.Ordinal);
            Assert.Equal("overlay\nbr_netfilter\n", await machine.ExecAsync("cat /etc/modules-load.d/rke2.conf"));
            Assert.Contains("vm.overcommit_memory=1", await machine.ExecAsync("cat /etc/sysctl.d/90-rke2.conf"), StringComparison.Ordinal);
            Assert.Equal("1", (await machine.ExecAsync("sysctl -n net.ipv4.ip_forward")).Trim());
            // The proxy: for every session without its login; apt's (root only) with it, and the appliance direct.
            var environment = await machine.ExecAsync("cat /etc/environment");
            Assert.Contains($"http_proxy=http://10.202.250.1:{bed.ProxyPort}", environment, StringComparison.Ordinal);
            Assert.DoesNotContain("deploy", environment, StringComparison.Ordinal);
            Assert.Equal("600 root", (await machine.ExecAsync("stat -c '%a %U' /etc/apt/apt.conf.d/80runner-proxy")).Trim());
            var aptProxy = await machine.ExecAsync("cat /etc/apt/apt.conf.d/80runner-proxy");
            Assert.Contains($"Acquire::http::Proxy::{bed.Machines.Gateway} \"DIRECT\";", aptProxy, StringComparison.Ordinal);
            Assert.Contains("deploy:" + PrepareVmsBed.ProxyPassword + "@", aptProxy, StringComparison.Ordinal);
            // The deployment user logs in with the security step's key and becomes root without a password.
            var login = await LoginAsync(machine, "sudo -n id -u");
            Assert.True(login.ExitCode == 0, login.Output + login.Error);
            Assert.Equal("0", login.Output.Trim());
        }
        Assert.Contains("demo-registry-01.demo.local", await registry.ExecAsync("cat /etc/hosts"), StringComparison.Ordinal);
    }

    private async Task<ExecResult> LoginAsync(SystemdMachine machine, string command)
    {
        var key = Path.Combine(bed.WorkDirectory, "deployment_key");
        if (OperatingSystem.IsLinux() && !File.Exists(key))
        {
            await File.WriteAllTextAsync(key, bed.DeploymentKey.PrivateKey.TrimEnd() + "\n");
            File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return await SystemdMachines.RunAsync("ssh", ["-F", "/dev/null", "-i", key, "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
            "-o", $"UserKnownHostsFile={bed.Machines.KnownHostsPath}", "-o", "StrictHostKeyChecking=yes", "-o", "ConnectTimeout=5",
            $"runner@{machine.Address}", command], null, TimeSpan.FromMinutes(1));
    }
}
