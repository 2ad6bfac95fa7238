using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Runner.Appliance.Tests.Infrastructure;
using Runner.Appliance.Tests.Peers;

namespace Runner.Appliance.Tests.Engine;

/// <summary>A role over SSH against two real sshd hosts in network namespaces, addressed from the architecture.</summary>
public sealed class SshRoleTests : IAsyncLifetime
{
    private readonly EngineHost _engine = new();
    private SshTargets _targets = default!;

    public async Task InitializeAsync()
    {
        await _engine.InitializeAsync();
        var (privateKey, publicKey) = KeyFactory.SshKeyPair();
        _targets = new SshTargets("10.231.7", "rat", privateKey, publicKey);
        var admin = _engine.Admin;
        // S tier: one VM per LAN_INFRA group, allocated from .11 in sizing order: registry = .11 (target 1), vault = .12 (target 2).
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync("/api/v1/configuration",
            new { environmentPrefix = "prod", baseDomain = "example.local", concurrentUsers = 100, products = new[] { "GCO" }, version = 1 })).StatusCode);
        foreach (var (name, vlan, prefix, start) in new[] { ("LAN_INFRA", 10, "10.231.7", ".11"), ("LAN_APPS", 100, "10.231.8", ".10"), ("DMZ", 200, "10.231.9", ".10") })
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/zones", new
            {
                name, vlanId = vlan, subnet = $"{prefix}.0/24", gateway = $"{prefix}.1", dnsServers = new[] { "10.1.0.10" }, ntpServers = new[] { "10.1.0.20" },
                rangeStart = prefix + start, rangeEnd = $"{prefix}.99", hypervisor = "vc",
            })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync("/api/v1/security",
            new { tlsMode = "InternalCa", deploymentUser = "runner", sshPrivateKey = new { newValue = privateKey }, version = 0 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/v1/architecture/generate", new { })).StatusCode);
        _engine.AddCheckRole("testrole-ssh", "[registry, vault]");
        _engine.WriteRoleTasks("testrole-ssh", "- name: Who am I on the VM\n  ansible.builtin.command: id -u\n  changed_when: false\n");
    }

    [Fact]
    public async Task ARoleOverSsh_ReachesBothHosts_ThenNamesTheHostWhoseSshdIsDown()
    {
        var id = await _engine.StartRunAsync("testrole-ssh");
        await _engine.WhenIdleAsync();

        var run = await _engine.RunAsync(id);
        var events = await _engine.EventsAsync(id);
        Assert.True(run.GetProperty("status").GetString() == "Successful", run.GetProperty("message").ToString() + string.Join("\n", events.Select(e => e.GetProperty("text").GetString())));
        Assert.Equal(["prod-registry-01", "prod-vault-01"], events.Where(e => e.GetProperty("status").GetString() == "ok").Select(e => e.GetProperty("host").GetString()).Order());

        _targets.Stop(2);
        var second = await _engine.StartRunAsync("testrole-ssh");
        await _engine.WhenIdleAsync();

        var failed = await _engine.RunAsync(second);
        Assert.Equal("Failed", failed.GetProperty("status").GetString());
        Assert.Equal("Role testrole-ssh failed: host prod-vault-01 unreachable (exit 4).", failed.GetProperty("message").GetString());
        var unreachable = (await _engine.EventsAsync(second)).Where(e => e.GetProperty("status").GetString() == "unreachable").ToList();
        Assert.Equal("prod-vault-01", Assert.Single(unreachable).GetProperty("host").GetString());
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        _targets.Dispose();
    }
}
