using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Runner.Appliance.Engine;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Engine;

/// <summary>
/// An appliance whose engine runs a private copy of ansible/ (so that a test can change a role),
/// with general settings and one vCenter whose password a role prints, and a private secrets
/// directory on tmpfs.
/// </summary>
public sealed class EngineHost : IAsyncLifetime
{
    public const string Password = "vc-Secret-Marker-9b2f";

    private readonly TempDirectory _data = new();

    public TempDirectory Ansible { get; } = new();

    public TempDirectory Secrets { get; } = TempDirectory.InMemory();

    public ApplianceHost Host { get; private set; } = default!;

    public HttpClient Admin { get; private set; } = default!;

    public string DataDirectory => _data.Path;

    public async Task InitializeAsync()
    {
        CopyDirectory(Repository.PathOf("ansible"), Ansible.Path);
        Host = Start();
        Admin = await Host.AdminClientAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.PutAsJsonAsync("/api/v1/configuration",
            new { environmentPrefix = "prod", baseDomain = "example.local", concurrentUsers = 800, products = new[] { "EServices", "GCO" }, version = 0 })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/api/v1/hypervisors", new { kind = "VCenter", alias = "vc", host = "vcenter.example.local",
            username = "administrator@vsphere.local", password = new { newValue = Password }, datacenter = "DC0", cluster = "DC0_C0", datastore = "LocalDS_0", network = "VM Network", template = "rhel9" })).StatusCode);
    }

    private ApplianceHost Start() => new(_data.Path, settings: new Dictionary<string, string?>
    {
        ["Appliance:Engine:AnsibleDirectory"] = Ansible.Path,
        ["Appliance:Engine:CancelGracePeriod"] = "00:00:05",
        ["Appliance:Engine:SecretsDirectory"] = Secrets.Path,
    });

    /// <summary>Adds a hidden check role (a copy of testrole) after testrolefailed in the copy's catalog.</summary>
    public void AddCheckRole(string name, string targets = "[localhost]") => AddRole(name, Path.Combine(Ansible.Path, "roles", "testrole"), targets);

    /// <summary>Adds a hidden check role from <paramref name="source"/> (a role directory) to the copy's catalog.</summary>
    /// <param name="entry">More lines of its catalog entry (secrets:, outputs:), indented as the entry's keys.</param>
    public void AddRole(string name, string source, string targets = "[localhost]", string entry = "")
    {
        CopyDirectory(source, Path.Combine(Ansible.Path, "roles", name));
        var catalog = Path.Combine(Ansible.Path, "catalog.yml");
        File.AppendAllText(catalog, $"      - name: {name}\n        description: Another check role\n        targets: {targets}\n        expected_s: 2\n        implemented: true\n        hidden: true\n{entry}");
    }

    public void WriteRoleTasks(string role, string yaml) => File.WriteAllText(Path.Combine(Ansible.Path, "roles", role, "tasks", "main.yml"), yaml);

    /// <summary>Engine tests run check roles with no preflight: as an Admin would, they say why.</summary>
    public const string OverrideReason = "engine test: check roles on localhost, no preflight needed";

    public async Task<int> StartRunAsync(params string[] roles)
    {
        var response = await Admin.PostAsJsonAsync("/api/v1/runs", new { roles, overrideReason = OverrideReason });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }

    public Task WhenIdleAsync() => Host.Services.GetRequiredService<DeploymentEngine>().WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(90));

    public async Task<JsonElement> RunAsync(int id) => await Admin.GetFromJsonAsync<JsonElement>($"/api/v1/runs/{id}");

    public async Task<List<JsonElement>> EventsAsync(int id) =>
        [.. (await Admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/runs/{id}/events?limit=5000"))!];

    /// <summary>Waits until an event of the run says <paramref name="text"/>.</summary>
    public Task WaitForEventAsync(int id, string text) =>
        Eventually.UntilAsync(async () => (await EventsAsync(id)).Any(e => e.GetProperty("text").GetString()!.Contains(text, StringComparison.Ordinal)),
            TimeSpan.FromSeconds(60), $"an event of run {id} saying '{text}'");

    public static string Status(JsonElement run, string role) =>
        run.GetProperty("roles").EnumerateArray().Single(r => r.GetProperty("role").GetString() == role).GetProperty("status").GetString()!;

    public static int Attempts(JsonElement run, string role) =>
        run.GetProperty("roles").EnumerateArray().Single(r => r.GetProperty("role").GetString() == role).GetProperty("attempts").GetInt32();

    internal static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            if (file.Contains("__pycache__", StringComparison.Ordinal))
                continue;
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    public async Task DisposeAsync()
    {
        await WhenIdleAsync();
        Host.Dispose();
        _data.Dispose();
        Ansible.Dispose();
        Secrets.Dispose();
    }
}
