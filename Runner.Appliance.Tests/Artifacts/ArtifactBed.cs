using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Runner.Appliance.Features.Artifacts;
using Runner.Appliance.Tests.Engine;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Artifacts;

/// <summary>
/// An appliance whose ansible/ is a private copy holding the test tree's lock file, and whose check role
/// testrole names artifacts in its meta/artifacts.yml; a tree directory to build in, and the API as an Admin.
/// </summary>
public sealed class ArtifactBed : IAsyncDisposable
{
    private readonly TempDirectory _data = new();

    private readonly bool _kestrel;
    private readonly IPEndPoint? _listen;

    private ArtifactBed(IReadOnlyDictionary<string, string?>? settings, bool kestrel, IPEndPoint? listen, bool keepRoleNeeds)
    {
        (_kestrel, _listen) = (kestrel || listen is not null, listen);
        EngineHost.CopyDirectory(Repository.PathOf("ansible"), Ansible.Path);
        if (!keepRoleNeeds)
            ForgetRoleNeeds(Ansible.Path);
        Tree = new TestTree(TreeDirectory.Path);
        Settings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Appliance:Engine:AnsibleDirectory"] = Ansible.Path,
            ["Appliance:Artifacts:ProgressInterval"] = "00:00:00",
        };
    }

    public TempDirectory Ansible { get; } = new();

    public TempDirectory TreeDirectory { get; } = new();

    public TestTree Tree { get; }

    public Dictionary<string, string?> Settings { get; }

    public ApplianceHost Host { get; private set; } = default!;

    public HttpClient Admin { get; private set; } = default!;

    public string DataDirectory => _data.Path;

    public string StorePath => Path.Combine(_data.Path, "artifacts", "store");

    public static readonly string[] FourKindNames = ["rke2-linux-amd64", "registry", "rancher-monitoring", "debian12-base"];

    /// <summary>A bed with a tree of one artifact of each main kind: a file, an image, a chart, a Debian repository.</summary>
    public static ArtifactBed FourKinds()
    {
        var bed = Create();
        bed.Tree.File("rke2-linux-amd64", "rke2.linux-amd64.tar.gz", 3 * 1024 * 1024 + 17, "v1.31.4+rke2r1")
            .Image("registry").Chart("rancher-monitoring").Repo("debian12-base", "chrony", "curl");
        return bed;
    }

    /// <summary>A bed whose appliance starts once the tree is built (<see cref="StartAsync"/>): the lock is read from the tree's artifacts.</summary>
    /// <param name="listen">Where Kestrel listens instead of a loopback port: the address test machines reach.</param>
    /// <param name="keepRoleNeeds">Keep what the real roles need (their meta/artifacts.yml): the lock given must then pin it.</param>
    public static ArtifactBed Create(IReadOnlyDictionary<string, string?>? settings = null, bool kestrel = false, IPEndPoint? listen = null, bool keepRoleNeeds = false) =>
        new(settings, kestrel, listen, keepRoleNeeds);

    /// <summary>
    /// Removes every role's meta/artifacts.yml from a copy of ansible/: a test whose lock is its own (or whose store
    /// is empty) checks the artifact machinery with the needs it declares, not the real roles' (rhel9-base, which
    /// its lock does not pin and its store does not hold).
    /// </summary>
    public static void ForgetRoleNeeds(string ansibleCopy)
    {
        foreach (var needs in Directory.GetFiles(Path.Combine(ansibleCopy, "roles"), "artifacts.yml", SearchOption.AllDirectories))
            File.Delete(needs);
    }

    /// <summary>Where Kestrel listens (a bed created with kestrel: true).</summary>
    public Uri? Address { get; private set; }

    /// <summary>
    /// Writes the lock (every artifact but <paramref name="leaveOut"/>, changed by <paramref name="editLock"/>) and which artifacts
    /// testrole needs, then starts the appliance. Both before the start: the catalog reads them once.
    /// </summary>
    public async Task<ArtifactBed> StartAsync(IEnumerable<string>? testroleNeeds = null, Func<string, string>? editLock = null, params string[] leaveOut)
    {
        var lockYaml = Tree.LockYaml(leaveOut);
        await File.WriteAllTextAsync(Path.Combine(Ansible.Path, ArtifactLock.FileName), editLock?.Invoke(lockYaml) ?? lockYaml);
        if (testroleNeeds is not null)
            NeedArtifacts("testrole", testroleNeeds);
        Host = new ApplianceHost(_data.Path, _kestrel, Settings, _listen);
        if (_kestrel)
            Address = Host.StartKestrel();
        Admin = await Host.AdminClientAsync();
        return this;
    }

    /// <summary>Stops the appliance and starts it again on the same data directory, as after a power cut.</summary>
    public async Task RestartAsync()
    {
        await Host.DisposeAsync();
        Host = new ApplianceHost(_data.Path, _kestrel, Settings, _listen);
        var client = Host.CreateClient();
        Admin = client.WithToken(await Api.TokenAsync(client));
    }

    public void NeedArtifacts(string role, IEnumerable<string> names)
    {
        Directory.CreateDirectory(Path.Combine(Ansible.Path, "roles", role, "meta"));
        File.WriteAllText(Path.Combine(Ansible.Path, "roles", role, "meta", "artifacts.yml"), $"artifacts: [{string.Join(", ", names)}]\n");
    }

    public async Task<int> StartImportAsync(string? path = null)
    {
        var response = await Admin.PostAsJsonAsync("/api/v1/artifacts/import", new { path = path ?? Tree.Root });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }

    /// <summary>Imports the tree and returns the import once it ended.</summary>
    public async Task<JsonElement> ImportAsync(string? path = null) => await EndedAsync(await StartImportAsync(path));

    public async Task<JsonElement> EndedAsync(int id)
    {
        await Host.Services.GetRequiredService<ArtifactJobs>().WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(120));
        var import = await Admin.GetFromJsonAsync<JsonElement>($"/api/v1/artifacts/imports/{id}");
        Assert.NotEqual("Running", import.GetProperty("status").GetString());
        return import;
    }

    public async Task<Dictionary<string, JsonElement>> ArtifactsAsync()
    {
        var overview = await Admin.GetFromJsonAsync<JsonElement>("/api/v1/artifacts");
        return overview.GetProperty("artifacts").EnumerateArray().ToDictionary(a => a.GetProperty("name").GetString()!, a => a.Clone());
    }

    public static string Status(Dictionary<string, JsonElement> artifacts, string name) => artifacts[name].GetProperty("status").GetString()!;

    public static void AssertCompleted(JsonElement import) =>
        Assert.True(import.GetProperty("status").GetString() == "Completed", $"the import did not complete: {import}");

    public static List<JsonElement> Refusals(JsonElement import) => [.. import.GetProperty("refusals").EnumerateArray()];

    public async ValueTask DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.Services.GetRequiredService<ArtifactJobs>().WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(60));
            await Host.DisposeAsync();
        }
        _data.Dispose();
        Ansible.Dispose();
        TreeDirectory.Dispose();
    }
}
