using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Runner.Appliance.Tests.Engine;
using Runner.Appliance.Tests.Infrastructure;
using Runner.Appliance.Tests.Peers;
using Xunit.Abstractions;

namespace Runner.Appliance.Tests.DeploymentRoles;

/// <summary>
/// The three provisioning roles through the engine against the fake Prism Central (v3, over a
/// certificate from a site CA that the configuration names, verified): names resolved through
/// filtered lists on an inventory larger than a page, each VM created once with its size, disks,
/// subnet and cloud-init, every creation task polled to its end; a second run creates nothing; a
/// failed task fails the role naming its error_detail, and resuming creates that VM once.
/// </summary>
public sealed class ProvisioningPrismTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ProvisioningBed _bed = new();
    private readonly TempDirectory _caDirectory = new();
    private FakePrismCentral _prism = default!;
    private readonly FakeEntity _cluster = FakeEntity.Named("ganon");
    private FakeEntity _lan = default!;
    private FakeEntity _dmz = default!;
    private readonly FakeEntity _image = FakeEntity.Named("rhel9-runner");
    private FakeContainer _container = default!;

    public async Task InitializeAsync()
    {
        var ca = new LoopbackCa(_caDirectory.Path, "Runner Test Prism CA");
        using var signed = X509Certificate2.CreateFromPemFile(ca.CertificateFile, ca.KeyFile);
        _prism = new FakePrismCentral { Certificate = X509CertificateLoader.LoadPkcs12(signed.Export(X509ContentType.Pkcs12), null) };
        _lan = FakeEntity.Named("prod-vlan", _cluster);
        _dmz = FakeEntity.Named("dmz-vlan", _cluster);
        _container = FakeContainer.Named("SelfServiceContainer", _cluster);
        // More of each than a page holds, the wanted ones last: only a filtered lookup finds them.
        _prism.Clusters.AddRange([FakeEntity.Named("pc", isPrismCentral: true), .. Enumerable.Range(0, 25).Select(i => FakeEntity.Named($"other-{i:00}")), _cluster]);
        _prism.Subnets.AddRange([.. Enumerable.Range(0, 25).Select(i => FakeEntity.Named($"net-{i:00}", _cluster)), _lan, _dmz]);
        _prism.Images.AddRange([.. Enumerable.Range(0, 25).Select(i => FakeEntity.Named($"img-{i:00}")), _image]);
        _prism.Containers.AddRange([.. Enumerable.Range(0, 25).Select(i => FakeContainer.Named($"ctr-{i:00}", _cluster)), _container]);
        await _prism.InitializeAsync();

        await _bed.InitializeAsync();
        // The fake advances a task one step per read: no need to wait between polls.
        var defaults = Path.Combine(_bed.Engine.Ansible.Path, "roles", "provision-vms", "defaults", "main.yml");
        await File.WriteAllTextAsync(defaults, Regex.Replace(await File.ReadAllTextAsync(defaults), @"(?m)^provision_vms_task_delay_s: \d+$", "provision_vms_task_delay_s: 0"));
        var version = (await _bed.Admin.GetFromJsonAsync<JsonObject>("/api/v1/security"))!["version"]!.GetValue<int>();
        var put = await _bed.Admin.PutAsJsonAsync("/api/v1/security", new
        {
            tlsMode = "InternalCa", deploymentUser = "runner", sshPrivateKey = new { newValue = KeyFactory.SshKeyPair().PrivateKey },
            trustedCaPem = await File.ReadAllTextAsync(ca.CaFile), version,
        });
        Assert.True(put.StatusCode == HttpStatusCode.NoContent, await put.Content.ReadAsStringAsync());
        await _bed.UseHypervisorAsync(new
        {
            kind = "Nutanix", alias = "ntnx", host = "127.0.0.1", port = _prism.Port, username = FakePrismCentral.User, password = new { newValue = FakePrismCentral.Password },
            certificatePolicy = "Verify", cluster = "ganon", subnet = "prod-vlan", storageContainer = "SelfServiceContainer", image = "rhel9-runner",
        });
        await _bed.ZonesAndArchitectureAsync("ntnx", new Dictionary<string, string> { ["DMZ"] = "dmz-vlan" });
    }

    [Fact]
    public async Task TheThreeRoles_CreateEachVmOnce_WithItsSpecAndCloudInit_ThenASecondRunCreatesNothing()
    {
        var planned = await _bed.VmsAsync();
        var first = await _bed.RunAsync(ProvisioningBed.Roles);

        Assert.Equal(planned.Count, _prism.Vms.Count);
        foreach (var vm in planned)
        {
            var name = vm.GetProperty("hostName").GetString()!;
            var created = Assert.Single(_prism.Vms, v => v.Name == name);
            var resources = created.Spec["resources"]!;
            Assert.Equal(_cluster.Uuid, (string?)created.Spec["cluster_reference"]!["uuid"]);
            Assert.Equal(vm.GetProperty("vcpu").GetInt32(), (int)resources["num_sockets"]! * (int)resources["num_vcpus_per_socket"]!);
            Assert.Equal(vm.GetProperty("ramGb").GetInt32() * 1024, (int)resources["memory_size_mib"]!);
            Assert.Equal("ON", (string?)resources["power_state"]);
            var disks = resources["disk_list"]!.AsArray();
            Assert.Equal(vm.GetProperty("disksGb").EnumerateArray().Select(d => d.GetInt32() * 1024), disks.Select(d => (int)d!["disk_size_mib"]!));
            Assert.Equal(_image.Uuid, (string?)disks[0]!["data_source_reference"]!["uuid"]);
            Assert.All(disks, d => Assert.Equal(_container.Uuid, (string?)d!["storage_config"]!["storage_container_reference"]!["uuid"]));
            var subnet = vm.GetProperty("zone").GetString() == "DMZ" ? _dmz : _lan;
            Assert.Equal(subnet.Uuid, (string?)resources["nic_list"]![0]!["subnet_reference"]!["uuid"]);
            Assert.StartsWith("#cloud-config\n", created.UserData, StringComparison.Ordinal);
            Assert.Contains($"hostname: {name}\n", created.UserData, StringComparison.Ordinal);
            Assert.Contains($"address1={vm.GetProperty("ipAddress").GetString()}/22,", created.UserData, StringComparison.Ordinal);
            Assert.Contains("dns=10.1.0.10;10.1.0.11;", created.UserData, StringComparison.Ordinal);
            Assert.Contains("dns-search=site.example.local;", created.UserData, StringComparison.Ordinal);
            Assert.Equal("COMPLETE", created.State);
        }
        Assert.Equal(planned.Count * 3, _prism.Calls.Count(c => c == "tasks/get")); // QUEUED, RUNNING, SUCCEEDED: each polled to its end
        Assert.All(first.Changed(), c => Assert.True(c.Value > 0, $"{c.Key} changed nothing on the first run"));

        var creations = _prism.Calls.Count(c => c == "vms/create");
        var second = await _bed.RunAsync(ProvisioningBed.Roles);
        var check = await _bed.RunAsync(ProvisioningBed.Roles, check: true);

        Assert.Equal(ProvisioningBed.Roles.ToDictionary(r => r, _ => 0), second.Changed());
        Assert.Equal(ProvisioningBed.Roles.ToDictionary(r => r, _ => 0), check.Changed());
        Assert.Equal(creations, _prism.Calls.Count(c => c == "vms/create"));
        Assert.Equal(planned.Count, _prism.Vms.Count);
        var everything = string.Join("\n", new[] { first, second, check }.Select(o => o.Log));
        Assert.DoesNotContain(FakePrismCentral.Password, everything, StringComparison.Ordinal);
        Assert.Empty(SecretScan.FilesContaining(_bed.Engine.DataDirectory, [FakePrismCentral.Password]));
        output.WriteLine($"{planned.Count} VMs created once; changed first run {string.Join(", ", first.Changed().Select(c => $"{c.Key}={c.Value}"))}, second run "
            + string.Join(", ", second.Changed().Select(c => $"{c.Key}={c.Value}")));
    }

    [Fact]
    public async Task AFailedCreationTask_FailsTheRoleNamingItsErrorDetail_AndResumingCreatesThatVmOnce()
    {
        var dmz = (await _bed.VmsAsync()).Where(v => v.GetProperty("zone").GetString() == "DMZ").Select(v => v.GetProperty("hostName").GetString()!).ToList();
        _prism.FailCreation[dmz[^1]] = "Insufficient memory on cluster ganon to power on the VM";

        var failed = await _bed.RunAsync(["provisionnement-vms-dmz"], mustSucceed: false);

        Assert.Equal("Failed", failed.Run.GetProperty("status").GetString());
        var message = failed.Run.GetProperty("message").GetString()!;
        Assert.Contains(dmz[^1], message, StringComparison.Ordinal);
        Assert.Contains("FAILED: Insufficient memory on cluster ganon to power on the VM", message, StringComparison.Ordinal);

        _prism.FailCreation.Clear();
        var resume = await _bed.Admin.PostAsJsonAsync($"/api/v1/runs/{failed.Id}/resume", new { overrideReason = EngineHost.OverrideReason });
        Assert.Equal(HttpStatusCode.Accepted, resume.StatusCode);
        await _bed.Engine.WhenIdleAsync();

        Assert.Equal("Successful", (await _bed.Engine.RunAsync(failed.Id)).GetProperty("status").GetString());
        Assert.All(dmz, name => Assert.Single(_prism.Vms, v => v.Name == name && v.State == "COMPLETE"));
        Assert.Equal(2, _prism.Vms.Count(v => v.Name == dmz[^1])); // the failed one (removed by Prism) and the resumed one
    }

    public async Task DisposeAsync()
    {
        await _bed.DisposeAsync();
        await _prism.DisposeAsync();
        _caDirectory.Dispose();
    }
}
