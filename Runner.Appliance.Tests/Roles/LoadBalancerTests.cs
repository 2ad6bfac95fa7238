using System.Text.Json.Nodes;
using Runner.Appliance.Tests.Infrastructure;
using Runner.Appliance.Tests.Peers;
using Xunit.Abstractions;

// Not "…Tests.Roles": that would hide Runner.Appliance.Security.Roles from the other tests; "DeploymentRoles" keeps the filter ~Roles.
namespace Runner.Appliance.Tests.DeploymentRoles;

/// <summary>A load balancer machine and a machine standing in for every node of the RKE2-APPS cluster.</summary>
public sealed class LoadBalancerBed : RoleBed
{
    protected override int MachineCount => 2;

    protected override string[] Packages => ["chrony", "sudo", "haproxy", "keepalived"];
}

/// <summary>install-load-balancer converged on a Debian machine after prepare-vms, as the plan orders them.</summary>
public sealed class LoadBalancerTests(LoadBalancerBed bed, ITestOutputHelper output) : IClassFixture<LoadBalancerBed>
{
    private const string Lb = "demo-lb-lan-01";

    /// <summary>The node ports of the RKE2 API, registration and ingress, as install_load_balancer_node_ports has them.</summary>
    private static readonly int[] NodePorts = [6443, 9345, 80, 443];

    [Fact]
    public async Task TheLanLoadBalancer_FrontsTheAppsClusterAndHoldsTheVip_AndASecondRunAndACheckRunChangeNothing()
    {
        var (lb, node) = (bed.Machines[0], bed.Machines[1]);
        // Every RKE2-APPS node is the second machine, whose "API", "registration" and "ingress" are python http.servers.
        var cluster = ClusterHosts("rke2_apps_server", "rke2_apps_agent").ToDictionary(h => h, _ => node);
        foreach (var port in NodePorts)
            await node.ExecAsync($"mkdir -p /srv/node-{port} && echo 'node {node.Name} port {port}' >/srv/node-{port}/index.html && " +
                $"systemd-run --unit=node-{port} --property=WorkingDirectory=/srv/node-{port} /usr/bin/python3 -m http.server {port}");
        var vip = $"{bed.Machines.Net}.100";
        var overrides = new JsonObject { ["install_load_balancer_vips"] = new JsonObject { ["lb_lan"] = vip } };
        var hosts = new Dictionary<string, SystemdMachine> { [Lb] = lb };

        var prepared = await bed.RunAsync("prepare-vms", hosts, PrepareVmsTests.MachineLimits());
        prepared.AssertSucceeded("prepare-vms");
        var first = await bed.RunAsync("install-load-balancer", hosts, overrides, alsoAddressed: cluster);
        first.AssertSucceeded("first run");
        var second = await bed.RunAsync("install-load-balancer", hosts, overrides, alsoAddressed: cluster);
        second.AssertSucceeded("second run");
        var check = await bed.RunAsync("install-load-balancer", hosts, overrides, check: true, alsoAddressed: cluster);
        check.AssertSucceeded("check run");
        output.WriteLine($"setup {bed.SetupTime.TotalSeconds:0.0} s; prepare-vms: {prepared.Summary}; first: {first.Summary}; second: {second.Summary}; check: {check.Summary}");
        Assert.True(first.Changed > 0, first.Output);
        Assert.True(second.Changed == 0, second.Output);
        Assert.True(check.Changed == 0, check.Output);

        Assert.Contains("Configuration file is valid", await lb.ExecAsync("haproxy -c -f /etc/haproxy/haproxy.cfg 2>&1"), StringComparison.Ordinal);
        Assert.Equal("active\nactive\n", await lb.ExecAsync("systemctl is-active haproxy keepalived"));
        var config = await lb.ExecAsync("cat /etc/haproxy/haproxy.cfg");
        Assert.Contains($"server demo-rke2-apps-server-01 {node.Address}:6443", config, StringComparison.Ordinal);
        Assert.Contains($"server demo-rke2-apps-agent-01 {node.Address}:443", config, StringComparison.Ordinal);
        await Eventually.UntilAsync(async () => (await lb.ExecAsync("ip -4 -o addr show dev eth0")).Contains($" {vip}/24 ", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20), $"keepalived to put the VIP {vip} on {lb.Name}", () => lb.ExecAsync("journalctl -u keepalived --no-pager | tail -20").Result);

        // Through each frontend (the LB's own address and the VIP) a TCP connection reaches the node's service.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        foreach (var (address, port) in NodePorts.Select(p => (lb.Address, p)).Append((vip, 6443)))
        {
            var body = await Eventually.UntilAsync(() => GetAsync(http, $"http://{address}:{port}/"), b => b is not null, TimeSpan.FromSeconds(20),
                $"a connection through {address}:{port} to reach the node");
            Assert.Equal($"node {node.Name} port {port}\n", body);
        }
    }

    private IEnumerable<string> ClusterHosts(params string[] groups)
    {
        var children = JsonNode.Parse(bed.Inputs.Inventory)!["all"]!["children"]!;
        return groups.SelectMany(g => children[g]!["hosts"]!.AsObject().Select(h => h.Key));
    }

    private static async Task<string?> GetAsync(HttpClient http, string url)
    {
        try
        {
            return await http.GetStringAsync(url);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }
}
