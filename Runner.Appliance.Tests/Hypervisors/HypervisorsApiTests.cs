using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Hypervisors;

public sealed class HypervisorsApiTests : AdminAppliance
{
    private const string Secret = "Vc-Secret-Marker-93be";

    private static object VCenter(string? password, int version = 0, string alias = "vcenter-prod") => new
    {
        kind = "VCenter", alias, host = "127.0.0.1", port = (int?)null, username = "administrator@vsphere.local",
        password = password is null ? null : new { newValue = password },
        datacenter = "DC0", cluster = "DC0_C0", datastore = "LocalDS_0", network = "VM Network", template = "rhel9", version,
    };

    private async Task<int> CreateAsync(object body)
    {
        var response = await Admin.PostAsJsonAsync("/api/v1/hypervisors", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }

    [Fact]
    public async Task Password_IsWriteOnly_AndStoredOnlyAsCiphertext()
    {
        var id = await CreateAsync(VCenter(Secret));

        var json = await Admin.GetStringAsync($"/api/v1/hypervisors/{id}");
        var list = await Admin.GetStringAsync("/api/v1/hypervisors");
        var audit = await Admin.GetStringAsync("/api/v1/audit");

        Assert.DoesNotContain(Secret, json + list + audit);
        using var item = JsonDocument.Parse(json);
        Assert.True(item.RootElement.GetProperty("passwordSet").GetBoolean());
        Assert.False(item.RootElement.TryGetProperty("password", out _));
        Assert.Equal(443, item.RootElement.GetProperty("port").GetInt32());
        Assert.Contains("\"password\"", audit);
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(DataDirectory, "appliance.db*"))
            Assert.False((await File.ReadAllBytesAsync(file)).AsSpan().IndexOf(Encoding.UTF8.GetBytes(Secret)) >= 0, file);
    }

    [Fact]
    public async Task UpdateWithoutPassword_KeepsIt_AndClearingIt_IsRefused()
    {
        var id = await CreateAsync(VCenter(Secret));

        var keep = await Admin.PutAsJsonAsync($"/api/v1/hypervisors/{id}", VCenter(null, version: 1));
        var clear = await Admin.PutAsJsonAsync($"/api/v1/hypervisors/{id}", new
        {
            kind = "VCenter", alias = "vcenter-prod", host = "127.0.0.1", username = "administrator@vsphere.local", password = new { clear = true },
            datacenter = "DC0", cluster = "DC0_C0", datastore = "LocalDS_0", network = "VM Network", template = "rhel9", version = 2,
        });

        Assert.Equal(HttpStatusCode.NoContent, keep.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, clear.StatusCode);
        Assert.Contains("Password to log in to the vCenter is required", (await Api.ProblemAsync(clear)).GetProperty("errors").GetProperty("password")[0].GetString());
        var stored = await Admin.GetFromJsonAsync<JsonElement>($"/api/v1/hypervisors/{id}");
        Assert.True(stored.GetProperty("passwordSet").GetBoolean());
    }

    [Fact]
    public async Task ChangingTheKind_DropsTheFieldsOfTheOldKind()
    {
        var id = await CreateAsync(VCenter(Secret));

        var update = await Admin.PutAsJsonAsync($"/api/v1/hypervisors/{id}", new
        {
            kind = "Nutanix", alias = "vcenter-prod", host = "127.0.0.1", username = "admin",
            cluster = "c1", subnet = "vlan100", storageContainer = "default", image = "rhel9", datastore = "LocalDS_0", version = 1,
        });
        var stored = await Admin.GetFromJsonAsync<JsonElement>($"/api/v1/hypervisors/{id}");

        Assert.Equal(HttpStatusCode.NoContent, update.StatusCode);
        Assert.Equal(9440, stored.GetProperty("port").GetInt32());
        Assert.Equal(JsonValueKind.Null, stored.GetProperty("datastore").ValueKind);
        Assert.Equal("vlan100", stored.GetProperty("subnet").GetString());
    }

    [Fact]
    public async Task MalformedJson_Answers400ProblemDetails()
    {
        using var content = new StringContent("{ not json", Encoding.UTF8, "application/json");

        var response = await Admin.PostAsync("/api/v1/hypervisors", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("The JSON is broken at line 1, position 3", (await Api.ProblemAsync(response)).GetProperty("errors").GetProperty("$")[0].GetString());
    }
}
