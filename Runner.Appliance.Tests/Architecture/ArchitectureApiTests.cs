using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Architecture;

/// <summary>The architecture through its HTTP API, the way a script drives it.</summary>
public sealed class ArchitectureApiTests : AdminAppliance
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        static object Zone(string name, int vlan, string prefix) => new
        {
            name, vlanId = vlan, subnet = $"{prefix}.0/24", gateway = $"{prefix}.1", dnsServers = new[] { "10.1.0.10" },
            ntpServers = new[] { "10.1.0.20" }, rangeStart = $"{prefix}.10", rangeEnd = $"{prefix}.60", hypervisor = "vc",
        };
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.PutAsJsonAsync("/api/v1/configuration",
            new { environmentPrefix = "prod", baseDomain = "example.local", concurrentUsers = 800, products = new[] { "EServices", "GCO" }, version = 0 })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/api/v1/hypervisors", new { kind = "VCenter", alias = "vc", host = "vcenter.example.local",
            username = "administrator@vsphere.local", password = new { newValue = "vc-pass" }, datacenter = "DC0", cluster = "DC0_C0", datastore = "LocalDS_0", network = "VM Network", template = "rhel9" })).StatusCode);
        foreach (var zone in new[] { Zone("LAN_INFRA", 10, "10.1.10"), Zone("LAN_APPS", 100, "10.1.100"), Zone("DMZ", 200, "10.1.200") })
            Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/api/v1/zones", zone)).StatusCode);
    }

    private async Task<JsonElement> GenerateAsync(object body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await Admin.PostAsJsonAsync("/api/v1/architecture/generate", body);
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task PreviewThenGenerate_FillsTheInventory()
    {
        var preview = await GenerateAsync(new { preview = true });
        Assert.False(preview.GetProperty("applied").GetBoolean());
        Assert.Empty(await Admin.GetFromJsonAsync<JsonElement[]>("/api/v1/virtual-machines") ?? []);

        var generated = await GenerateAsync(new { expect = preview.GetProperty("fingerprint").GetString() });

        Assert.True(generated.GetProperty("applied").GetBoolean());
        Assert.Equal(("M", 35, "35 added"), (generated.GetProperty("tier").GetString(), generated.GetProperty("vmCount").GetInt32(), generated.GetProperty("summary").GetString()));
        Assert.Equal("Added", generated.GetProperty("changes")[0].GetProperty("kind").GetString());
        var vms = await Admin.GetFromJsonAsync<JsonElement[]>("/api/v1/virtual-machines");
        Assert.Equal(35, vms!.Length);
        var vaults = await Admin.GetFromJsonAsync<JsonElement[]>("/api/v1/virtual-machines?group=vault");
        Assert.Equal(["prod-vault-01", "prod-vault-02", "prod-vault-03"], vaults!.Select(v => v.GetProperty("hostName").GetString()));
        Assert.Equal(["prepare-vms", "install-vault"], vaults![0].GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(8, (await Admin.GetFromJsonAsync<JsonElement[]>("/api/v1/virtual-machines?zone=DMZ"))!.Length);
    }

    [Fact]
    public async Task EditingAVm_ValidatesByField_ThenSavesAndMarksTheEdit()
    {
        await GenerateAsync(new { });
        var vm = (await Admin.GetFromJsonAsync<JsonElement[]>("/api/v1/virtual-machines?group=bastion"))![0];
        var id = vm.GetProperty("id").GetInt32();
        object Body(string ip, int vcpu, int version) => new { hostName = "prod-bastion-01", ipAddress = ip, vcpu, ramGb = 4, disksGb = new[] { 50 }, hypervisor = "vc", cluster = "DC0_C0", datastore = "LocalDS_0", network = "VM Network", version };

        var bad = await Admin.PutAsJsonAsync($"/api/v1/virtual-machines/{id}", Body("10.1.100.20", 0, 1));
        var problem = await Api.ProblemAsync(bad);
        var good = await Admin.PutAsJsonAsync($"/api/v1/virtual-machines/{id}", Body("10.1.10.50", 2, 1));
        var stale = await Admin.PutAsJsonAsync($"/api/v1/virtual-machines/{id}", Body("10.1.10.51", 2, 1));
        var saved = await Admin.GetFromJsonAsync<JsonElement>($"/api/v1/virtual-machines/{id}");

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("outside zone LAN_INFRA's subnet 10.1.10.0/24", problem.GetProperty("errors").GetProperty("ipAddress")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("0 vCPU is outside the limits", problem.GetProperty("errors").GetProperty("vcpu")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, good.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(("10.1.10.50", 2, "ipAddress", 2), (saved.GetProperty("ipAddress").GetString(), saved.GetProperty("vcpu").GetInt32(),
            saved.GetProperty("editedFields")[0].GetString(), saved.GetProperty("version").GetInt32()));
    }

    [Fact]
    public async Task ARangeTooSmall_Is400WithTheZoneAsField()
    {
        var zones = await Admin.GetFromJsonAsync<JsonElement[]>("/api/v1/zones");
        var dmz = zones!.Single(z => z.GetProperty("name").GetString() == "DMZ");
        var update = JsonSerializer.Deserialize<Dictionary<string, object?>>(dmz.GetRawText())!;
        update["rangeEnd"] = "10.1.200.14";
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.PutAsJsonAsync($"/api/v1/zones/{dmz.GetProperty("id").GetInt32()}", update)).StatusCode);

        var response = await Admin.PostAsJsonAsync("/api/v1/architecture/generate", new { });
        var problem = await Api.ProblemAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("Zone DMZ is 3 addresses short: 8 VMs need one", problem.GetProperty("errors").GetProperty("zones.DMZ")[0].GetString(), StringComparison.Ordinal);
        Assert.Empty(await Admin.GetFromJsonAsync<JsonElement[]>("/api/v1/virtual-machines") ?? []);
    }

    [Fact]
    public async Task RecapSizingAndExports_AreServed()
    {
        await GenerateAsync(new { });

        var recap = await Admin.GetFromJsonAsync<JsonElement>("/api/v1/architecture/recap");
        var sizing = await Admin.GetFromJsonAsync<JsonElement>("/api/v1/architecture/sizing");
        var csv = await Admin.GetAsync("/api/v1/architecture/inventory.csv");
        var inventory = await Admin.GetFromJsonAsync<JsonElement>("/api/v1/architecture/inventory.json");

        Assert.Equal(140, recap.GetProperty("total").GetProperty("vcpu").GetInt32());
        Assert.Equal(3, recap.GetProperty("zones").GetArrayLength());
        Assert.Equal(4, sizing.GetProperty("tiers").GetArrayLength());
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal(36, (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(35, inventory.GetProperty("all").GetProperty("hosts").EnumerateObject().Count());
    }
}
