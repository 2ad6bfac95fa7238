using Runner.Appliance.Engine;
using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Engine;

public sealed class CatalogTests
{
    private static readonly Catalog Catalog = Catalog.Load(Repository.PathOf("ansible", "catalog.yml"), [.. SizingFile.LoadEmbedded().Groups.Select(g => g.Id)]);

    /// <summary>Seed 000 §16.4, entries 1–33 (34 is prepare_inputs.py, replaced by the run workspace).</summary>
    private static readonly string[] OriginalRoles =
    [
        "provisionnement-vms-infra", "provisionnement-vms-apps", "provisionnement-vms-dmz", "prepare-vms", "install-docker-registry",
        "install-vault", "install-load-balancer", "install-gogs", "install-rke2-apps", "install-rke2-middleware", "install-rke2-dmz",
        "install-rancher-server", "install-argocd", "install-cert-manager", "install-longhorn", "setup-vault-injector", "install-minio",
        "install-minio-backup", "install-keycloak", "install-kafka", "install-n8n", "install-flowable", "install-gravitee-lan",
        "install-gravitee-dmz", "install-neuvector", "install-monitoring", "install-eservices", "install-gco", "install-bastion",
        "install-informix", "install-seald", "testrole", "testrolefailed",
    ];

    [Fact]
    public void EveryRoleOfTheOriginal_IsInTheCatalog_InPhases()
    {
        Assert.Empty(OriginalRoles.Except(Catalog.Roles.Select(r => r.Name)));
        Assert.Equal(["vm-provisioning", "vm-preparation", "core-services", "kubernetes", "k8s-foundation", "middleware", "api-management", "security-monitoring", "applications", "checks"],
            Catalog.Phases.Select(p => p.Id));
    }

    [Fact]
    public void ThePlan_FollowsTheProducts_AndNeverHoldsCheckRoles()
    {
        var eservices = Catalog.PlanFor(["EServices"]).Select(r => r.Name).ToList();
        var gco = Catalog.PlanFor(["GCO"]).Select(r => r.Name).ToList();

        Assert.Contains("install-flowable", eservices);
        Assert.DoesNotContain("install-flowable", gco);
        Assert.Contains("install-gco", gco);
        Assert.DoesNotContain("install-gco", eservices);
        Assert.DoesNotContain("testrole", eservices.Concat(gco));
        Assert.Equal("provisionnement-vms-infra", eservices[0]);
    }

    [Fact]
    public void TheRealRolesAndTheCheckRoles_AreImplemented_AndEveryImplementedRoleHasItsDirectory()
    {
        Assert.Equal(["provisionnement-vms-infra", "provisionnement-vms-apps", "provisionnement-vms-dmz", "prepare-vms", "install-docker-registry", "install-load-balancer", "testrole", "testrolefailed"],
            Catalog.Roles.Where(r => r.Implemented).Select(r => r.Name));
        Assert.All(Catalog.Roles.Where(r => r.Implemented), r => Assert.True(Directory.Exists(Repository.PathOf("ansible", "roles", r.Name)), r.Name));
    }

    [Fact]
    public void GeneratedSecrets_HaveUniqueSnakeCaseNames_AndTheRegistryDeclaresItsPasswordAndOutputs()
    {
        var secrets = Catalog.Roles.SelectMany(r => r.Secrets).ToList();

        Assert.All(secrets, s => Assert.Matches("^[a-z][a-z0-9_]*$", s.Name));
        Assert.Equal(secrets.Count, secrets.Select(s => s.Name).Distinct().Count());
        var registry = Catalog.Role("install-docker-registry")!;
        Assert.Equal(["registry_password"], registry.Secrets.Select(s => s.Name));
        Assert.Equal(["registry", "registry_username", "images"], registry.Outputs.Select(o => o.Name));
        Assert.DoesNotContain(registry.Outputs, o => o.Secret);
    }

    [Fact]
    public void ACatalogTargetingAnUnknownGroup_IsRefused()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "catalog.yml");
        File.WriteAllText(path, "version: 1\nphases:\n  - id: p\n    name: P\n    roles:\n      - name: r\n        targets: [mainframe]\n        expected_s: 1\n");

        var error = Assert.Throws<InvalidDataException>(() => Catalog.Load(path, ["vault"]));

        Assert.Contains("role 'r' targets 'mainframe', which is neither localhost, all nor a VM group of the sizing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SecretsAndOutputs_WithBadNames_ShortLengths_OrDeclaredTwice_AreRefused()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "catalog.yml");
        File.WriteAllText(path, """
            version: 1
            phases:
              - id: p
                name: P
                roles:
                  - name: a
                    targets: [localhost]
                    expected_s: 1
                    secrets: [{ name: Token-1 }, { name: shared, length: 8 }]
                    outputs: [{ name: root_token }, { name: root_token, secret: false }]
                  - name: b
                    targets: [localhost]
                    expected_s: 1
                    secrets: [{ name: shared }]
            """);

        var error = Assert.Throws<InvalidDataException>(() => Catalog.Load(path, []));

        Assert.Contains("role 'a' declares secret 'Token-1': a name is lower-case letters, digits and '_', starting with a letter.", error.Message, StringComparison.Ordinal);
        Assert.Contains("role 'a' declares secret 'shared' of 8 characters: between 16 and 128.", error.Message, StringComparison.Ordinal);
        Assert.Contains("role 'a' declares output 'root_token' 2 times.", error.Message, StringComparison.Ordinal);
        Assert.Contains("secret 'shared' is declared by a and b: each generated secret is declared once.", error.Message, StringComparison.Ordinal);
    }
}
