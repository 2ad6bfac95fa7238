using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Runner.Appliance.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Runner.Appliance.Tests.Peers;

/// <summary>Two machines booted once for the class (the root fs is built on the first run on a host).</summary>
public sealed class TwoSystemdMachines : IAsyncLifetime
{
    public SystemdMachines Set { get; private set; } = default!;

    public async Task InitializeAsync() => Set = await SystemdMachines.StartAsync(2);

    public async Task DisposeAsync() => await Set.DisposeAsync();
}

/// <summary>The proof that the machines peer works: real systemd, ssh as root, Ansible converging, no way out but the bridge.</summary>
public sealed partial class SystemdMachinesTests(TwoSystemdMachines two, ITestOutputHelper output) : IClassFixture<TwoSystemdMachines>
{
    private SystemdMachines Set => two.Set;

    [Fact]
    public async Task TwoMachines_BootToRunning_EachWithItsOwnRootFsAndSshAsRoot()
    {
        output.WriteLine($"root fs build: {Set.RootFsBuildTime?.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) ?? "cached"}; boot of 2 machines to running + sshd: {Set.BootTime.TotalSeconds:0.00} s");
        var marker = $"/root/only-on-m1-{Guid.NewGuid():N}";
        await Set[0].ExecAsync($"touch {marker}");
        foreach (var machine in Set.Machines)
        {
            var state = (await machine.TryExecAsync("systemctl is-system-running")).Output.Trim();
            var failed = await machine.ExecAsync("systemctl list-units --failed --no-legend --plain");
            Assert.True(state == "running", $"{machine.Name}: {state}, failed units: {failed}");

            var ssh = await machine.SshAsync("id -u; hostname; systemd-detect-virt; test -e " + marker + " && echo marker || echo no-marker");
            Assert.True(ssh.ExitCode == 0, ssh.Error);
            Assert.Equal(["0", machine.Name, "container-other", machine.Number == 1 ? "marker" : "no-marker"], Lines(ssh.Output));
        }
        // A file written in m1 is in m1's layer only: not in m2, not on this host.
        Assert.False(File.Exists(marker));
        Assert.True(File.Exists(Path.Combine(Set[0].UpperDirectory, marker.TrimStart('/'))));
        var ids = await Task.WhenAll(Set.Machines.Select(m => m.ExecAsync("cat /etc/machine-id")));
        Assert.Equal(2, ids.Distinct().Count());
    }

    [Fact]
    public async Task AnsiblePlaybook_ConvergesBothMachines_AndASecondRunChangesNothing()
    {
        using var work = new TempDirectory();
        var deb = BuildDeb(work.Path);
        var playbook = Path.Combine(work.Path, "converge.yml");
        await File.WriteAllTextAsync(playbook, $$$"""
            - name: A tiny converge with no network beyond the bridge
              hosts: all
              gather_facts: true
              tasks:
                - name: The machine is a Debian 12 managed by systemd, its default route on the bridge
                  ansible.builtin.assert:
                    that:
                      - ansible_facts.distribution == 'Debian'
                      - ansible_facts.distribution_major_version == '12'
                      - ansible_facts.service_mgr == 'systemd'
                      - ansible_facts.default_ipv4.address == ansible_host
                      - ansible_facts.default_ipv4.gateway == '{{{Set.Gateway}}}'
                - name: The package built by the test is on the machine
                  ansible.builtin.copy: { src: "{{{deb}}}", dest: /var/tmp/runner-probe_1.0_all.deb, mode: "0644" }
                - name: It is installed
                  ansible.builtin.apt: { deb: /var/tmp/runner-probe_1.0_all.deb }
                - name: A configuration file
                  ansible.builtin.copy: { dest: /etc/runner-probe.conf, content: "greeting={{ inventory_hostname }}\n", mode: "0644" }
                - name: A unit serving the package's files
                  ansible.builtin.copy:
                    dest: /etc/systemd/system/runner-probe.service
                    mode: "0644"
                    content: |
                      [Unit]
                      Description=Runner probe
                      [Service]
                      ExecStart=/usr/bin/python3 -m http.server 8080 --bind {{ ansible_host }} --directory /usr/share/runner-probe
                      [Install]
                      WantedBy=multi-user.target
                  notify: Reload systemd
                - name: Reload systemd now if the unit changed
                  ansible.builtin.meta: flush_handlers
                - name: The unit is enabled and started
                  ansible.builtin.systemd: { name: runner-probe.service, enabled: true, state: started }
              handlers:
                - name: Reload systemd
                  ansible.builtin.systemd: { daemon_reload: true }
            """);

        var clock = Stopwatch.StartNew();
        var first = await Set.PlaybookAsync(playbook);
        var firstTime = clock.Elapsed;
        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        clock.Restart();
        var second = await Set.PlaybookAsync(playbook);
        var secondTime = clock.Elapsed;
        Assert.True(second.ExitCode == 0, second.Output + second.Error);
        output.WriteLine($"converge of 2 machines: first run {firstTime.TotalSeconds:0.0} s, second run {secondTime.TotalSeconds:0.0} s");

        var (firstRecap, secondRecap) = (Recap(first.Output), Recap(second.Output));
        Assert.Equal(["m1", "m2"], firstRecap.Keys.Order());
        Assert.All(firstRecap.Values, r => Assert.True(r is { Failed: 0, Unreachable: 0, Changed: >= 5 }, first.Output));
        Assert.Equal(["m1", "m2"], secondRecap.Keys.Order());
        Assert.All(secondRecap.Values, r => Assert.True(r is { Failed: 0, Unreachable: 0, Changed: 0 }, second.Output));

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        foreach (var machine in Set.Machines)
        {
            Assert.Equal("active\nenabled\n", await machine.ExecAsync("systemctl is-active runner-probe; systemctl is-enabled runner-probe"));
            Assert.Equal("1.0", (await machine.ExecAsync("dpkg-query -W -f '${Version}' runner-probe")).Trim());
            Assert.Equal($"greeting={machine.Name}\n", await machine.ExecAsync("cat /etc/runner-probe.conf"));
            var served = await Eventually.UntilAsync(() => GetAsync(http, $"http://{machine.Address}:8080/hello.txt"), body => body is not null,
                TimeSpan.FromSeconds(10), $"the unit on {machine.Name} to serve the package's file");
            Assert.Equal("hello from a package\n", served);
        }
    }

    [Fact]
    public async Task AMachine_HasNoRouteOut_AndAConnectionOutFailsAtOnce()
    {
        var machine = Set[0];
        Assert.Equal([$"default via {Set.Gateway} dev eth0", $"{Set.Net}.0/24 dev eth0 proto kernel scope link src {machine.Address}"],
            Lines(await machine.ExecAsync("ip -4 route show table all | grep -v '^local\\|^broadcast'")));
        Assert.Equal(["eth0", "lo"], Lines(await machine.ExecAsync("ls /sys/class/net")));

        // Out through the gateway (192.0.2.1 here is this host's own default gateway), and this host's addresses
        // other than the gateway's (its services listening on all addresses): refused at once, not timed out.
        var hostAddresses = NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus == OperationalStatus.Up && i.NetworkInterfaceType != NetworkInterfaceType.Loopback && i.Name != Set.Bridge)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses).Select(a => a.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork).Select(a => a.ToString());
        foreach (var target in hostAddresses.Prepend("192.0.2.1").Prepend("1.1.1.1").Distinct())
        {
            var clock = Stopwatch.StartNew();
            var attempt = await machine.TryExecAsync($"curl -sS -m 10 http://{target}:22/");
            Assert.True(attempt.ExitCode == 7, $"curl to {target}: exit {attempt.ExitCode} {attempt.Error}");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"curl to {target} took {clock.Elapsed.TotalSeconds:0.0} s to fail");
        }
    }

    [Fact]
    public async Task AMachine_ReachesAnHttpServerTheTestRunsOnTheHostsBridgeAddress()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = Path.GetTempPath() });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Parse(Set.Gateway), 0));
        await using var app = builder.Build();
        app.MapGet("/pool/hello", (HttpContext context) => $"hello {context.Connection.RemoteIpAddress}\n");
        await app.StartAsync();
        var url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        foreach (var machine in Set.Machines)
            Assert.Equal($"hello {machine.Address}\n", await machine.ExecAsync($"curl -sS -m 5 http://{Set.Gateway}:{url.Port}/pool/hello"));
    }

    [Fact]
    public async Task MachinesOfTwoSets_AtOnce_DoNotCollide()
    {
        await using var other = await SystemdMachines.StartAsync(1);

        Assert.NotEqual(Set.Net, other.Net);
        Assert.NotEqual(Set.Bridge, other.Bridge);
        Assert.NotEqual(Set[0].Namespace, other[0].Namespace);
        Assert.Equal("m1\n", (await other[0].SshAsync("hostname")).Output);
        Assert.NotEqual(await Set[0].ExecAsync("cat /etc/machine-id"), await other[0].ExecAsync("cat /etc/machine-id"));
        // One set's machines do not reach the other's (each bridge is a world of its own).
        Assert.Equal(7, (await other[0].TryExecAsync($"curl -sS -m 5 http://{Set[0].Address}:22/")).ExitCode);
        Assert.Equal(7, (await Set[0].TryExecAsync($"curl -sS -m 5 http://{other[0].Address}:22/")).ExitCode);

        await other.DisposeAsync();
        foreach (var machine in Set.Machines)
            Assert.Equal("running", (await machine.ExecAsync("systemctl is-system-running")).Trim());
    }

    [Fact]
    public async Task AStoppedMachine_IsUnreachable_BootsAgainWithItsState_AndDisposeLeavesNothingBehind()
    {
        var one = await SystemdMachines.StartAsync(1);
        var machine = one[0];
        var (directory, prefix) = (one.Directory, one.Prefix);
        var pid = machine.SystemdPid!.Value;
        var (netns, pidns) = (Namespace(pid, "net"), Namespace(pid, "pid"));
        try
        {
            await machine.ExecAsync("echo kept > /etc/runner-state");
            await machine.StopAsync(graceful: true);
            Assert.False(machine.IsRunning);
            Assert.Equal(255, (await machine.SshAsync("true")).ExitCode);
            Assert.False(Directory.Exists($"/proc/{pid}"));

            await machine.StartAsync();
            Assert.Equal("kept\n", (await machine.SshAsync("cat /etc/runner-state")).Output);
            Assert.Equal("running", (await machine.ExecAsync("systemctl is-system-running")).Trim());
            pid = machine.SystemdPid!.Value;
            (netns, pidns) = (Namespace(pid, "net"), Namespace(pid, "pid"));
        }
        finally
        {
            await one.DisposeAsync();
        }

        Assert.DoesNotContain(directory, await File.ReadAllTextAsync("/proc/self/mountinfo"));
        Assert.False(Directory.Exists(directory));
        Assert.DoesNotMatch(new Regex($@" {prefix}(br|v\d+)[:@]"), PeerProcess.Run("ip", ["-o", "link", "show"]));
        Assert.DoesNotContain(Lines(PeerProcess.Run("ip", ["netns", "list"])), l => l.StartsWith(prefix + "m", StringComparison.Ordinal));
        Assert.DoesNotContain($"runner_machines_{prefix}\n", PeerProcess.Run("nft", ["list", "tables"]));
        Assert.False(Directory.Exists($"/sys/fs/cgroup/unified/runner-machines/{machine.Namespace}") || Directory.Exists($"/sys/fs/cgroup/runner-machines/{machine.Namespace}"));
        Assert.False(Directory.Exists($"/proc/{pid}"));
        // No process anywhere is left in the machine's network or PID namespace.
        var stragglers = Directory.GetDirectories("/proc").Where(p => int.TryParse(Path.GetFileName(p), out _))
            .Select(p => int.Parse(Path.GetFileName(p), System.Globalization.CultureInfo.InvariantCulture))
            .Where(p => Namespace(p, "net") == netns || Namespace(p, "pid") == pidns).ToList();
        Assert.Empty(stragglers);
    }

    private static string BuildDeb(string directory)
    {
        var root = Path.Combine(directory, "runner-probe");
        Directory.CreateDirectory(Path.Combine(root, "DEBIAN"));
        Directory.CreateDirectory(Path.Combine(root, "usr/share/runner-probe"));
        File.WriteAllText(Path.Combine(root, "DEBIAN/control"),
            "Package: runner-probe\nVersion: 1.0\nArchitecture: all\nMaintainer: Runner Appliance tests <tests@example.invalid>\nDescription: a package built by a test\n");
        File.WriteAllText(Path.Combine(root, "usr/share/runner-probe/hello.txt"), "hello from a package\n");
        var deb = Path.Combine(directory, "runner-probe_1.0_all.deb");
        PeerProcess.Run("dpkg-deb", ["--root-owner-group", "--build", root, deb]);
        return deb;
    }

    private static async Task<string?> GetAsync(HttpClient http, string url)
    {
        try
        {
            return await http.GetStringAsync(new Uri(url));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private static Dictionary<string, (int Changed, int Unreachable, int Failed)> Recap(string output) =>
        RecapLine().Matches(output).ToDictionary(m => m.Groups["host"].Value,
            m => (int.Parse(m.Groups["changed"].Value, System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(m.Groups["unreachable"].Value, System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(m.Groups["failed"].Value, System.Globalization.CultureInfo.InvariantCulture)));

    [GeneratedRegex(@"^(?<host>\S+)\s*:\s*ok=\d+\s+changed=(?<changed>\d+)\s+unreachable=(?<unreachable>\d+)\s+failed=(?<failed>\d+)", RegexOptions.Multiline)]
    private static partial Regex RecapLine();

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>"net:[4026532345]": which namespace of that kind a process is in; null once it is gone.</summary>
    private static string? Namespace(int pid, string kind)
    {
        try
        {
            return new FileInfo($"/proc/{pid}/ns/{kind}").LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
