using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Runner.Appliance.Tests.Engine;

namespace Runner.Appliance.Tests.DeploymentRoles;

/// <summary>
/// An appliance whose engine runs the real provisioning roles: a site of three zones on one
/// hypervisor (the test's vcsim or fake Prism Central on loopback), an S-tier architecture generated
/// for it, and the runs and recaps the tests read.
/// </summary>
public sealed partial class ProvisioningBed : IAsyncLifetime
{
    public static readonly string[] Roles = ["provisionnement-vms-infra", "provisionnement-vms-apps", "provisionnement-vms-dmz"];

    public EngineHost Engine { get; } = new();

    public HttpClient Admin => Engine.Admin;

    public Task InitializeAsync() => Engine.InitializeAsync();

    public Task DisposeAsync() => Engine.DisposeAsync();

    /// <summary>Replaces the EngineHost's placeholder vCenter by <paramref name="hypervisor"/> (an API body).</summary>
    public async Task UseHypervisorAsync(object hypervisor)
    {
        foreach (var existing in (await Admin.GetFromJsonAsync<JsonElement[]>("/api/v1/hypervisors"))!)
            Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"/api/v1/hypervisors/{existing.GetProperty("id").GetInt32()}")).StatusCode);
        var created = await Admin.PostAsJsonAsync("/api/v1/hypervisors", hypervisor);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
    }

    /// <summary>LAN_INFRA, LAN_APPS and DMZ on <paramref name="alias"/>; <paramref name="networks"/> gives a zone its own network (else the hypervisor's).</summary>
    public async Task ZonesAndArchitectureAsync(string alias, IReadOnlyDictionary<string, string> networks)
    {
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.PutAsJsonAsync("/api/v1/configuration",
            new { environmentPrefix = "prod", baseDomain = "example.local", concurrentUsers = 100, products = new[] { "GCO" }, version = 1 })).StatusCode);
        // These subnets exist only as data in vcsim or the fake (no interface, no traffic): no HostLock needed.
        foreach (var (name, vlan, prefix) in new[] { ("LAN_INFRA", 10, "10.231.16"), ("LAN_APPS", 100, "10.231.20"), ("DMZ", 200, "10.231.24") })
        {
            var zone = await Admin.PostAsJsonAsync("/api/v1/zones", new
            {
                name, vlanId = vlan, subnet = $"{prefix}.0/22", gateway = $"{prefix}.1", dnsServers = new[] { "10.1.0.10", "10.1.0.11" }, ntpServers = new[] { "10.1.0.20" },
                searchDomain = "site.example.local", rangeStart = $"{prefix}.10", rangeEnd = $"{prefix}.99", hypervisor = alias, network = networks.GetValueOrDefault(name),
            });
            Assert.True(zone.StatusCode == HttpStatusCode.Created, await zone.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsJsonAsync("/api/v1/architecture/generate", new { })).StatusCode);
    }

    /// <summary>The architecture's VMs, as the API lists them.</summary>
    public async Task<List<JsonElement>> VmsAsync() => [.. (await Admin.GetFromJsonAsync<JsonElement[]>("/api/v1/virtual-machines"))!];

    /// <summary>Runs <paramref name="roles"/> to the end; fails the test with the run's message and log if it did not succeed when <paramref name="mustSucceed"/>.</summary>
    public async Task<Outcome> RunAsync(string[] roles, bool check = false, bool mustSucceed = true)
    {
        var response = await Admin.PostAsJsonAsync("/api/v1/runs", new { roles, check, overrideReason = EngineHost.OverrideReason });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await Engine.Host.Services.GetRequiredService<Runner.Appliance.Engine.DeploymentEngine>().WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(240));
        var run = await Engine.RunAsync(id);
        var events = await Engine.EventsAsync(id);
        var outcome = new Outcome(id, run, events);
        if (mustSucceed)
            Assert.True(run.GetProperty("status").GetString() == "Successful", $"{run.GetProperty("message")}\n{outcome.Log}");
        return outcome;
    }

    public sealed partial record Outcome(int Id, JsonElement Run, List<JsonElement> Events)
    {
        public string Log => string.Join("\n", Events.Select(e => e.GetProperty("text").GetString()));

        /// <summary>Each role's "changed" count from its recap, by role (in the run's order).</summary>
        public Dictionary<string, int> Changed()
        {
            var byRoleRun = Run.GetProperty("roles").EnumerateArray().ToDictionary(r => r.GetProperty("id").GetInt32(), r => r.GetProperty("role").GetString()!);
            var changed = new Dictionary<string, int>();
            foreach (var e in Events)
                if (Recap().Match(e.GetProperty("text").GetString()!) is { Success: true } recap)
                    changed[byRoleRun[e.GetProperty("roleRunId").GetInt32()]] = int.Parse(recap.Groups[1].Value, CultureInfo.InvariantCulture);
            return changed;
        }

        [GeneratedRegex(@"^RECAP localhost: ok=\d+ changed=(\d+) ")]
        private static partial Regex Recap();
    }
}
