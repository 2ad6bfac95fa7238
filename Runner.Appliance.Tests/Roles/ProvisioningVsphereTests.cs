using System.Diagnostics;
using System.Text.Json;
using Runner.Appliance.Features.Hypervisors;
using Runner.Appliance.Integrations.Tls;
using Runner.Appliance.Tests.Engine;
using Runner.Appliance.Tests.Peers;
using Xunit.Abstractions;

namespace Runner.Appliance.Tests.DeploymentRoles;

/// <summary>
/// The three provisioning roles through the engine against vcsim (govmomi 0.24, Debian): every VM of
/// the architecture cloned from a template into its folder with its size, disks and zone's port
/// group, its static address and host name set by customizing the powered-off clone (this vcsim
/// ignores a customization passed with the clone, so the roles never rely on that), powered on,
/// and its address asserted; a second run changes nothing; a VM a run left powered off is
/// customized and started, never duplicated.
/// </summary>
public sealed class ProvisioningVsphereTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Template = "DC0_C0_RP0_VM0";
    private readonly ProvisioningBed _bed = new();
    private Vcsim _sim = default!;

    public async Task InitializeAsync()
    {
        _sim = new Vcsim();
        await _bed.InitializeAsync();
        await VcsimVms.MakeTemplateAsync(_sim, Template, "Runner/Prod");
        await _bed.UseHypervisorAsync(new
        {
            kind = "VCenter", alias = "vc", host = _sim.Host, port = _sim.Port, username = Vcsim.User, password = new { newValue = Vcsim.Password },
            certificatePolicy = "TrustThumbprint", thumbprint = await ThumbprintAsync(),
            datacenter = "DC0", cluster = "DC0_C0", datastore = "LocalDS_0", network = "VM Network", folder = "Runner/Prod", template = Template,
        });
        // LAN_APPS on the distributed port group, the other zones on the hypervisor's "VM Network".
        await _bed.ZonesAndArchitectureAsync("vc", new Dictionary<string, string> { ["LAN_APPS"] = "DC0_DVPG0" });
    }

    [Fact]
    public async Task TheThreeRoles_CreateEveryVm_AsTheArchitectureSays_ThenChangeNothing_AndRestartAVmLeftPoweredOff()
    {
        var planned = await _bed.VmsAsync();
        var clock = Stopwatch.StartNew();
        var first = await _bed.RunAsync(ProvisioningBed.Roles);
        var firstTime = clock.Elapsed;

        var vms = (await VcsimVms.ListAsync(_sim)).ToDictionary(v => v.GetProperty("name").GetString()!);
        foreach (var vm in planned)
        {
            var name = vm.GetProperty("hostName").GetString()!;
            Assert.True(vms.TryGetValue(name, out var seen), $"{name} was not created");
            Assert.Equal(vm.GetProperty("vcpu").GetInt32(), seen.GetProperty("vcpu").GetInt32());
            Assert.Equal(vm.GetProperty("ramGb").GetInt32() * 1024, seen.GetProperty("memoryMb").GetInt32());
            Assert.Equal(vm.GetProperty("disksGb").EnumerateArray().Select(d => d.GetInt32()), seen.GetProperty("disksGb").EnumerateArray().Select(d => d.GetInt32()));
            Assert.Equal([vm.GetProperty("zone").GetString() == "LAN_APPS" ? "DC0_DVPG0" : "VM Network"], seen.GetProperty("networks").EnumerateArray().Select(n => n.GetString()));
            Assert.Equal("/DC0/vm/Runner/Prod", seen.GetProperty("folder").GetString());
            Assert.Equal(("poweredOn", false), (seen.GetProperty("power").GetString(), seen.GetProperty("template").GetBoolean()));
            Assert.Equal([vm.GetProperty("ipAddress").GetString()], seen.GetProperty("ips").EnumerateArray().Select(i => i.GetString()));
            Assert.Equal(name, seen.GetProperty("hostName").GetString());
        }
        Assert.Equal(planned.Count + 4, vms.Count); // vcsim's own four VMs (one of them the template) and ours, each once
        Assert.All(first.Changed(), c => Assert.True(c.Value > 0, $"{c.Key} changed nothing on the first run"));

        clock.Restart();
        var second = await _bed.RunAsync(ProvisioningBed.Roles);
        var secondTime = clock.Elapsed;
        Assert.Equal(ProvisioningBed.Roles.ToDictionary(r => r, _ => 0), second.Changed());
        var check = await _bed.RunAsync(ProvisioningBed.Roles, check: true);
        Assert.Equal(ProvisioningBed.Roles.ToDictionary(r => r, _ => 0), check.Changed());

        // A clone a run left powered off (the engine died before its power-on): customized again, started.
        var halfDone = planned.First(v => v.GetProperty("zone").GetString() == "LAN_APPS").GetProperty("hostName").GetString()!;
        await VcsimVms.PowerOffAsync(_sim, halfDone);
        var resumed = await _bed.RunAsync(["provisionnement-vms-apps"]);
        var after = (await VcsimVms.ListAsync(_sim)).Where(v => v.GetProperty("name").GetString() == halfDone).ToList();
        Assert.Equal("poweredOn", Assert.Single(after).GetProperty("power").GetString());
        Assert.Equal(2, resumed.Changed()["provisionnement-vms-apps"]); // customization + power-on
        Assert.Equal(planned.Count + 4, (await VcsimVms.ListAsync(_sim)).Count);

        var everything = string.Join("\n", new[] { first, second, check, resumed }.Select(o => o.Log));
        Assert.DoesNotContain(Vcsim.Password, everything, StringComparison.Ordinal);
        Assert.Empty(SecretScan.FilesContaining(_bed.Engine.DataDirectory, [Vcsim.Password]));
        output.WriteLine($"{planned.Count} VMs; first run {firstTime.TotalSeconds:0.0} s changed {string.Join(", ", first.Changed().Select(c => $"{c.Key}={c.Value}"))}; "
            + $"second run {secondTime.TotalSeconds:0.0} s changed {string.Join(", ", second.Changed().Select(c => $"{c.Key}={c.Value}"))}");
    }

    private async Task<string> ThumbprintAsync()
    {
        var trust = new ServerTrust(CertificatePolicy.AcceptAny);
        using var http = trust.CreateClient(TimeSpan.FromSeconds(5));
        using var _ = await http.GetAsync(new Uri($"https://{_sim.Host}:{_sim.Port}/about"));
        return trust.SeenThumbprint!;
    }

    public async Task DisposeAsync()
    {
        await _bed.DisposeAsync();
        _sim.Dispose();
    }
}
