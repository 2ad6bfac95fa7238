using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Zones;

public sealed class ZonesApiTests : AdminAppliance
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var hypervisor = await Admin.PostAsJsonAsync("/api/v1/hypervisors", new { kind = "Esxi", alias = "vc", host = "10.1.0.5", username = "root",
            password = new { newValue = "esxi-pass" }, datastore = "datastore1", network = "VM Network", template = "rhel9" });
        Assert.Equal(HttpStatusCode.Created, hypervisor.StatusCode);
    }

    private static object Zone(string name, int vlan, string subnetPrefix, int version = 0) => new
    {
        name,
        vlanId = vlan,
        subnet = $"{subnetPrefix}.0/24",
        gateway = $"{subnetPrefix}.1",
        dnsServers = new[] { "10.1.0.10" },
        ntpServers = new[] { "10.1.0.20" },
        rangeStart = $"{subnetPrefix}.10",
        rangeEnd = $"{subnetPrefix}.60",
        hypervisor = "vc",
        version,
    };

    private async Task<int> CreateAsync(object zone)
    {
        var response = await Admin.PostAsJsonAsync("/api/v1/zones", zone);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }

    [Fact]
    public async Task CreateReadUpdateDelete_RoundTrips()
    {
        var id = await CreateAsync(Zone("LAN_INFRA", 100, "10.1.100"));

        var created = await Admin.GetFromJsonAsync<JsonElement>($"/api/v1/zones/{id}");
        var update = await Admin.PutAsJsonAsync($"/api/v1/zones/{id}", Zone("LAN_INFRA", 101, "10.1.100", version: 1));
        var updated = await Admin.GetFromJsonAsync<JsonElement>($"/api/v1/zones/{id}");
        var delete = await Admin.DeleteAsync($"/api/v1/zones/{id}");

        Assert.Equal("10.1.100.0/24", created.GetProperty("subnet").GetString());
        Assert.Equal("admin", created.GetProperty("updatedBy").GetString());
        Assert.Equal(HttpStatusCode.NoContent, update.StatusCode);
        Assert.Equal(101, updated.GetProperty("vlanId").GetInt32());
        Assert.Equal(2, updated.GetProperty("version").GetInt32());
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/api/v1/zones/{id}")).StatusCode);
    }

    [Fact]
    public async Task OverlappingSubnetAndTakenVlan_AreRefusedByField_AndNothingIsWritten()
    {
        await CreateAsync(Zone("LAN_INFRA", 100, "10.1.100"));

        var response = await Admin.PostAsJsonAsync("/api/v1/zones", Zone("LAN_APPS", 100, "10.1.100"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Api.ProblemAsync(response)).GetProperty("errors");
        Assert.Contains("overlaps zone LAN_INFRA", errors.GetProperty("subnet")[0].GetString());
        Assert.Contains("VLAN 100 is already used by zone LAN_INFRA", errors.GetProperty("vlanId")[0].GetString());
        Assert.Single((await Admin.GetFromJsonAsync<JsonElement>("/api/v1/zones")).EnumerateArray());
    }

    [Fact]
    public async Task AFailedUpdate_ChangesNothing()
    {
        var id = await CreateAsync(Zone("DMZ", 300, "192.168.30"));
        var bad = new { name = "DMZ", vlanId = 300, subnet = "192.168.30.0/24", gateway = "192.168.31.1", dnsServers = new[] { "10.1.0.10" },
            ntpServers = new[] { "10.1.0.20" }, rangeStart = "192.168.30.10", rangeEnd = "192.168.30.60", hypervisor = "vc", version = 1 };

        var response = await Admin.PutAsJsonAsync($"/api/v1/zones/{id}", bad);
        var zone = await Admin.GetFromJsonAsync<JsonElement>($"/api/v1/zones/{id}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Gateway 192.168.31.1 is outside subnet 192.168.30.0/24.",
            (await Api.ProblemAsync(response)).GetProperty("errors").GetProperty("gateway")[0].GetString());
        Assert.Equal("192.168.30.1", zone.GetProperty("gateway").GetString());
        Assert.Equal(1, zone.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task TwoOperatorsEditingTheSameZone_TheSecondGetsAConflictNamingTheFirst()
    {
        var id = await CreateAsync(Zone("LAN_APPS", 200, "10.1.200"));
        await Api.CreateUserAsync(Admin, "olga", "Operator", "operator-password");
        var olga = Host.CreateClient().WithToken(await Api.TokenAsync(Host.CreateClient(), "olga", "operator-password"));

        var first = await olga.PutAsJsonAsync($"/api/v1/zones/{id}", Zone("LAN_APPS", 201, "10.1.200", version: 1));
        var second = await Admin.PutAsJsonAsync($"/api/v1/zones/{id}", Zone("LAN_APPS", 202, "10.1.200", version: 1));

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("changed by olga", (await Api.ProblemAsync(second)).GetProperty("detail").GetString());
        Assert.Equal(201, (await Admin.GetFromJsonAsync<JsonElement>($"/api/v1/zones/{id}")).GetProperty("vlanId").GetInt32());
    }

    [Fact]
    public async Task Viewer_CanReadZonesButNotChangeThem()
    {
        await Api.CreateUserAsync(Admin, "vera", "Viewer", "viewer-password1");
        var vera = Host.CreateClient().WithToken(await Api.TokenAsync(Host.CreateClient(), "vera", "viewer-password1"));

        Assert.Equal(HttpStatusCode.OK, (await vera.GetAsync("/api/v1/zones")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await vera.PostAsJsonAsync("/api/v1/zones", Zone("DMZ", 300, "192.168.30"))).StatusCode);
    }

    [Fact]
    public async Task Changes_AreInTheAuditTrail_WithFieldNamesOnly()
    {
        var id = await CreateAsync(Zone("LAN_INFRA", 100, "10.1.100"));
        await Admin.PutAsJsonAsync($"/api/v1/zones/{id}", Zone("LAN_INFRA", 101, "10.1.100", version: 1));
        await Admin.DeleteAsync($"/api/v1/zones/{id}");

        var trail = (await Admin.GetFromJsonAsync<JsonElement>("/api/v1/audit")).EnumerateArray()
            .Where(e => e.GetProperty("subject").GetString() == "zone").ToList();

        Assert.Equal(["deleted", "updated", "created"], trail.Select(e => e.GetProperty("action").GetString()));
        Assert.All(trail, e => Assert.Equal("admin", e.GetProperty("actor").GetString()));
        Assert.Equal(["vlanId"], trail[1].GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        Assert.DoesNotContain("101", trail[1].GetRawText());
    }

    [Fact]
    public async Task AuditTrail_IsForAdminsOnly()
    {
        await Api.CreateUserAsync(Admin, "olga", "Operator", "operator-password");
        var olga = Host.CreateClient().WithToken(await Api.TokenAsync(Host.CreateClient(), "olga", "operator-password"));

        Assert.Equal(HttpStatusCode.Forbidden, (await olga.GetAsync("/api/v1/audit")).StatusCode);
    }
}
