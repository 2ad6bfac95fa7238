using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Features.Hypervisors;
using Runner.Appliance.Features.Preflight;
using Runner.Appliance.Features.Zones;
using Runner.Appliance.Tests.Architecture;
using Runner.Appliance.Tests.Peers;
using Xunit.Abstractions;
using Runner.Appliance.Tests.Integrations.Vsphere;

namespace Runner.Appliance.Tests.Preflight.Vsphere;

[Collection(VcsimCollection.Name)]
public sealed class VsphereCheckTests(VcsimFixture fixture, ITestOutputHelper output) : IDisposable
{
    private readonly VsphereBed _bed = new(fixture.Server);

    [Fact]
    public async Task GoodConfiguration_PassesEveryCheck_WellUnderTwoSeconds()
    {
        _bed.Plan(2, vcpu: 4, ramGb: 4, diskGb: 20);
        _bed.Zones.Add(new ZoneDto { Id = 7, Name = "LAN_APPS", Hypervisor = "vc", Cluster = "DC0_C0", Network = "DC0_DVPG0" });

        var results = await _bed.RunAsync();

        Assert.Equal(results.Group.Checks.Count, results.All.Count);
        Assert.All(results.All, r => Assert.True(r.Outcome.Status == CheckStatus.Passed, results.Describe()));
        Assert.Equal(
            ["hypervisors.vc.tls", "hypervisors.vc.login", "hypervisors.vc.datacenter", "hypervisors.vc.cluster", "hypervisors.vc.datastore",
             "hypervisors.vc.network", "hypervisors.vc.resourcepool", "hypervisors.vc.folder", "hypervisors.vc.template", "zones.lan_apps.placement", "hypervisors.vc.capacity"],
            results.Group.Checks.Select(c => c.Id));
        Assert.Contains("VMware vCenter Server", results["hypervisors.vc.tls"].Message, StringComparison.Ordinal);
        Assert.Matches("^Certificate SHA-256 thumbprint: ([0-9A-F]{2}:){31}[0-9A-F]{2}$", results["hypervisors.vc.tls"].Detail);
        Assert.StartsWith("Enough capacity: DC0_C0 8 of 24 vCPU", results["hypervisors.vc.capacity"].Message, StringComparison.Ordinal);
        output.WriteLine($"vSphere group against vcsim: {_bed.Elapsed.TotalMilliseconds:0} ms; vcsim cold build in this run: {Vcsim.BuildTime.TotalSeconds:0.0} s");
        Assert.True(_bed.Elapsed < TimeSpan.FromSeconds(2), $"the group took {_bed.Elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task Capacity_IsRecordedForTheRecap_OnePerClusterAndDatastore()
    {
        _bed.Plan(1, vcpu: 2, ramGb: 2, diskGb: 20);
        await _bed.RunAsync();
        await _bed.RunAsync();

        await using var db = _bed.Store.CreateDbContext();
        var cluster = Assert.Single(await db.ClusterCapacities.ToListAsync());
        Assert.Equal(("vc", "DC0_C0", 6), (cluster.Hypervisor, cluster.Cluster, cluster.PhysicalCores));
        Assert.InRange(cluster.RamGb, 10, 12);
        Assert.True(DateTimeOffset.UtcNow - cluster.ObservedAt < TimeSpan.FromMinutes(1));
        var datastore = Assert.Single(await db.DatastoreCapacities.ToListAsync());
        Assert.Equal(("vc", "LocalDS_0"), (datastore.Hypervisor, datastore.Datastore));
        Assert.True(datastore.FreeGb > 0);
    }

    [Fact]
    public async Task Login_WithAWrongPassword_FailsAtThePasswordField_AndSkipsTheInventory()
    {
        _bed.Password = "Wrong-Password-42";

        var results = await _bed.RunAsync();

        var login = results["hypervisors.vc.login"];
        Assert.Equal(CheckStatus.Failed, login.Status);
        Assert.Contains($"login refused for user {Vcsim.User}", login.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Wrong-Password-42", login.Message, StringComparison.Ordinal);
        Assert.Equal("password", results.FieldOf("hypervisors.vc.login"));
        Assert.Equal(CheckStatus.Passed, results["hypervisors.vc.tls"].Status);
        Assert.Equal(CheckStatus.Skipped, results["hypervisors.vc.datastore"].Status);
        Assert.Equal(CheckStatus.Skipped, results["hypervisors.vc.capacity"].Status);
    }

    [Fact]
    public async Task Login_WithoutAStoredPassword_FailsAtThePasswordField()
    {
        _bed.Password = null;

        var results = await _bed.RunAsync();

        Assert.Equal(CheckStatus.Failed, results["hypervisors.vc.login"].Status);
        Assert.Equal($"No password is set for user {Vcsim.User}.", results["hypervisors.vc.login"].Message);
        Assert.Equal("password", results.FieldOf("hypervisors.vc.login"));
    }

    [Fact]
    public async Task MissingDatastore_FailsNamingTheDatastoresThatExist()
    {
        _bed.Hypervisor.Datastore = "DS9";

        var results = await _bed.RunAsync();

        Assert.Equal(CheckStatus.Failed, results["hypervisors.vc.datastore"].Status);
        Assert.Equal("Datastore 'DS9' not found in datacenter DC0; datastores there: LocalDS_0.", results["hypervisors.vc.datastore"].Message);
        Assert.Equal("datastore", results.FieldOf("hypervisors.vc.datastore"));
        Assert.Equal(CheckStatus.Passed, results["hypervisors.vc.cluster"].Status);
        Assert.Equal(CheckStatus.Passed, results["hypervisors.vc.network"].Status);
    }

    [Fact]
    public async Task MissingNetwork_FailsAtTheNetworkField_NamingPortGroupsToo()
    {
        _bed.Hypervisor.Network = "VLAN 99";

        var results = await _bed.RunAsync();

        var network = results["hypervisors.vc.network"];
        Assert.Equal(CheckStatus.Failed, network.Status);
        Assert.StartsWith("Network 'VLAN 99' not found in datacenter DC0; networks and port groups there: ", network.Message, StringComparison.Ordinal);
        Assert.Contains("DC0_DVPG0", network.Message, StringComparison.Ordinal);
        Assert.Contains("VM Network", network.Message, StringComparison.Ordinal);
        Assert.Equal("network", results.FieldOf("hypervisors.vc.network"));
        Assert.Equal("wizard/hypervisors?edit=hypervisors:3", results.Group.Network.Target!.Link);
    }

    [Fact]
    public async Task OverCommittedCluster_FailsWithTheNumbers_AtTheClusterField_AndTheRecapAgrees()
    {
        _bed.Plan(35, vcpu: 4, ramGb: 2, diskGb: 10);

        var results = await _bed.RunAsync();

        var capacity = results["hypervisors.vc.capacity"];
        Assert.Equal(CheckStatus.Failed, capacity.Status);
        Assert.Contains("Cluster DC0_C0 offers 6 cores × 4 = 24 vCPU; the architecture needs 140 vCPU.", capacity.Message, StringComparison.Ordinal);
        Assert.Contains("the architecture needs 70 GB.", capacity.Message, StringComparison.Ordinal);
        Assert.Equal("cluster", results.FieldOf("hypervisors.vc.capacity"));
        await using var db = _bed.Store.CreateDbContext();
        var recap = ArchitectureRecapService.Build(_bed.Vms, ArchitectureBed.Rules, await db.ClusterCapacities.ToListAsync(), await db.DatastoreCapacities.ToListAsync(), null);
        Assert.Contains(recap.OverCommits, c => c is { Resource: "vCPU", Required: 140, Available: 24 });
    }

    [Fact]
    public async Task ClusterWithMoreHosts_HoldsWhatTheDefaultClusterCannot()
    {
        using var bigger = new Vcsim("-host", "8");
        using var bed = new VsphereBed(bigger);
        bed.Plan(10, vcpu: 4, ramGb: 2, diskGb: 10);
        _bed.Plan(10, vcpu: 4, ramGb: 2, diskGb: 10);

        var onEight = await bed.RunAsync();
        var onThree = await _bed.RunAsync();

        Assert.Equal(CheckStatus.Passed, onEight["hypervisors.vc.capacity"].Status);
        Assert.StartsWith("Enough capacity: DC0_C0 40 of 64 vCPU", onEight["hypervisors.vc.capacity"].Message, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Failed, onThree["hypervisors.vc.capacity"].Status);
    }

    [Fact]
    public async Task FullDatastore_FailsAtTheDatastoreField()
    {
        _bed.Plan(2, vcpu: 1, ramGb: 1, diskGb: 16000);

        var results = await _bed.RunAsync();

        var capacity = results["hypervisors.vc.capacity"];
        Assert.Equal(CheckStatus.Failed, capacity.Status);
        Assert.Matches(@"^Datastore LocalDS_0 has [\d,]+ GB free × 0\.9 = [\d,]+ GB usable; the architecture needs 32,000 GB\.$", capacity.Message);
        Assert.Equal("datastore", results.FieldOf("hypervisors.vc.capacity"));
    }

    [Fact]
    public async Task MissingClusterPoolFolderAndTemplate_AreEachNamedWithWhatExists()
    {
        _bed.Hypervisor.Cluster = "Prod";
        _bed.Hypervisor.ResourcePool = "Gold";
        _bed.Hypervisor.Folder = "Apps/Prod";
        _bed.Hypervisor.Template = "ubuntu-24.04";
        _bed.Plan(1, vcpu: 2, ramGb: 2, diskGb: 10, cluster: "Prod");

        var results = await _bed.RunAsync();

        Assert.Equal("Cluster 'Prod' not found in datacenter DC0; clusters there: DC0_C0.", results["hypervisors.vc.cluster"].Message);
        Assert.StartsWith("Resource pool 'Gold' not found in datacenter DC0; pools there: ", results["hypervisors.vc.resourcepool"].Message, StringComparison.Ordinal);
        Assert.Equal("VM folder 'Apps/Prod' not found in datacenter DC0; folders there: none.", results["hypervisors.vc.folder"].Message);
        Assert.Equal("Template 'ubuntu-24.04' not found in datacenter DC0; templates there: none.", results["hypervisors.vc.template"].Message);
        Assert.Equal(["cluster", "resourcePool", "folder", "template"],
            new[] { "cluster", "resourcepool", "folder", "template" }.Select(a => results.FieldOf($"hypervisors.vc.{a}")));
        Assert.Equal(CheckStatus.Warning, results["hypervisors.vc.capacity"].Status);
        Assert.EndsWith("Capacity unknown for cluster Prod (not found).", results["hypervisors.vc.capacity"].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TemplateNamingAVirtualMachine_WarnsThatItIsNotATemplate()
    {
        _bed.Hypervisor.Template = "DC0_C0_RP0_VM0";

        var results = await _bed.RunAsync();

        Assert.Equal(CheckStatus.Warning, results["hypervisors.vc.template"].Status);
        Assert.Contains("is a virtual machine, not a template", results["hypervisors.vc.template"].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ZoneOverride_ThatDoesNotExist_FailsAtTheZonesField()
    {
        _bed.Zones.Add(new ZoneDto { Id = 7, Name = "DMZ", Hypervisor = "VC", Datastore = "LocalDS_0", Network = "DMZ-PG" });
        _bed.Zones.Add(new ZoneDto { Id = 8, Name = "LAN_INFRA", Hypervisor = "vc" });

        var results = await _bed.RunAsync();

        var zone = results["zones.dmz.placement"];
        Assert.Equal(CheckStatus.Failed, zone.Status);
        Assert.StartsWith("Zone DMZ: Network 'DMZ-PG' not found in datacenter DC0;", zone.Message, StringComparison.Ordinal);
        Assert.Equal("network", results.FieldOf("zones.dmz.placement"));
        var target = results.Group.Checks.Single(c => c.Id == "zones.dmz.placement").Target!;
        Assert.Equal(("Network zones", "DMZ", "wizard/zones?edit=zones:7"), (target.Area, target.Item, target.Link));
        Assert.DoesNotContain(results.Group.Checks, c => c.Id.StartsWith("zones.lan_infra", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WrongPinnedThumbprint_FailsTlsAtTheThumbprintField_AndTheRightOnePasses()
    {
        var seen = (await _bed.RunAsync())["hypervisors.vc.tls"].Detail!.Split(": ")[1];
        _bed.Hypervisor.CertificatePolicy = CertificatePolicy.TrustThumbprint;
        _bed.Hypervisor.Thumbprint = string.Concat(Enumerable.Repeat("AB", 32));

        var wrong = await _bed.RunAsync();
        _bed.Hypervisor.Thumbprint = seen.Replace(":", "", StringComparison.Ordinal).ToLowerInvariant();
        var right = await _bed.RunAsync();

        Assert.Equal(CheckStatus.Failed, wrong["hypervisors.vc.tls"].Status);
        Assert.Equal("thumbprint", wrong.FieldOf("hypervisors.vc.tls"));
        Assert.Contains($"its certificate thumbprint {seen} is not the configured", wrong["hypervisors.vc.tls"].Message, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Skipped, wrong["hypervisors.vc.login"].Status);
        Assert.Equal(CheckStatus.Passed, right["hypervisors.vc.tls"].Status);
        Assert.Contains("matches the pinned thumbprint", right["hypervisors.vc.tls"].Message, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Passed, right["hypervisors.vc.login"].Status);
    }

    [Fact]
    public async Task VerifyPolicy_RefusesTheSelfSignedCertificate_AtTheCertificatePolicyField()
    {
        _bed.Hypervisor.CertificatePolicy = CertificatePolicy.Verify;

        var results = await _bed.RunAsync();

        Assert.Equal(CheckStatus.Failed, results["hypervisors.vc.tls"].Status);
        Assert.Equal("certificatePolicy", results.FieldOf("hypervisors.vc.tls"));
        Assert.Contains("is not trusted", results["hypervisors.vc.tls"].Message, StringComparison.Ordinal);
        Assert.Contains("trust its thumbprint", results["hypervisors.vc.tls"].Message, StringComparison.Ordinal);
    }

    public void Dispose() => _bed.Dispose();
}
