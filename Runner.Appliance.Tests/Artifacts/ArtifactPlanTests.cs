using System.Net.Http.Json;
using System.Text.Json;
using Runner.Appliance.Engine;
using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Tests.Engine;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Artifacts;

/// <summary>Roles declare what they install (meta/artifacts.yml); the catalog checks it against the lock; the plan adds it up.</summary>
public sealed class ArtifactPlanTests : IDisposable
{
    private readonly TempDirectory _ansible = new();

    [Fact]
    public void TheCatalog_RefusesARole_NamingAnArtifactTheLockLacks()
    {
        WriteAnsible(("a", ["rke2", "ghost"]));

        var error = Assert.Throws<InvalidDataException>(Load).Message;

        Assert.Contains("role 'a' needs artifact 'ghost' (roles/a/meta/artifacts.yml), which artifacts.lock.yml lacks.", error, StringComparison.Ordinal);
        Assert.DoesNotContain("'rke2'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ThePlan_ReportsTheArtifactsItNeeds_EachOnceInPlanOrder_AndTheirTotalSize()
    {
        WriteAnsible(("a", ["rke2"]), ("b", ["registry", "rke2"]));

        var catalog = Load();
        var plan = catalog.ArtifactsFor(catalog.PlanFor([]));

        Assert.Equal(["rke2"], catalog.Role("a")!.Artifacts);
        Assert.Empty(catalog.Role("c")!.Artifacts);
        Assert.Equal(["rke2", "registry"], plan.Names);
        Assert.Equal(1000 + 250, plan.TotalBytes);
        Assert.Equal(1250, catalog.ArtifactsFor([catalog.Role("b")!]).TotalBytes);
    }

    [Fact]
    public async Task ThePlanApi_GivesEachRoleItsArtifacts_AndTheirBytes()
    {
        EngineHost.CopyDirectory(Repository.PathOf("ansible"), _ansible.Path);
        ArtifactBed.ForgetRoleNeeds(_ansible.Path);
        await File.WriteAllTextAsync(Path.Combine(_ansible.Path, "artifacts.lock.yml"), Lock);
        Declare("provisionnement-vms-infra", ["rke2", "registry"]);
        using var data = new TempDirectory();
        await using var host = new ApplianceHost(data.Path, settings: new Dictionary<string, string?> { ["Appliance:Engine:AnsibleDirectory"] = _ansible.Path });
        var admin = await host.AdminClientAsync();

        var plan = await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/plan");

        var role = plan!.Single(r => r.GetProperty("name").GetString() == "provisionnement-vms-infra");
        Assert.Equal(["rke2", "registry"], role.GetProperty("artifacts").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(1250, role.GetProperty("artifactBytes").GetInt64());
        var other = plan!.First(r => r.GetProperty("name").GetString() != "provisionnement-vms-infra");
        Assert.Equal(0, other.GetProperty("artifacts").GetArrayLength());
        Assert.Equal(0, other.GetProperty("artifactBytes").GetInt64());
    }

    private const string Lock = """
        version: 1
        artifacts:
          - { name: rke2, kind: file, version: v1.31.4+rke2r1, sha256: 1111111111111111111111111111111111111111111111111111111111111111, size: 1000, source: { url: "https://example.invalid/rke2.linux-amd64.tar.gz" } }
          - { name: registry, kind: image, version: 2.8.3, sha256: 2222222222222222222222222222222222222222222222222222222222222222, size: 250, source: { image: "docker.io/library/registry:2.8.3" } }
        """;

    private Catalog Load() => Catalog.Load(Path.Combine(_ansible.Path, "catalog.yml"), [.. SizingFile.LoadEmbedded().Groups.Select(g => g.Id)]);

    private void WriteAnsible(params (string Role, string[] Artifacts)[] declarations)
    {
        File.WriteAllText(Path.Combine(_ansible.Path, "catalog.yml"), """
            version: 1
            phases:
              - id: p
                name: P
                roles:
                  - { name: a, targets: [localhost], expected_s: 1 }
                  - { name: b, targets: [localhost], expected_s: 1 }
                  - { name: c, targets: [localhost], expected_s: 1 }
            """);
        File.WriteAllText(Path.Combine(_ansible.Path, "artifacts.lock.yml"), Lock);
        foreach (var (role, artifacts) in declarations)
            Declare(role, artifacts);
    }

    private void Declare(string role, string[] artifacts)
    {
        Directory.CreateDirectory(Path.Combine(_ansible.Path, "roles", role, "meta"));
        File.WriteAllText(Path.Combine(_ansible.Path, "roles", role, "meta", "artifacts.yml"), $"artifacts: [{string.Join(", ", artifacts)}]\n");
    }

    public void Dispose() => _ansible.Dispose();
}
