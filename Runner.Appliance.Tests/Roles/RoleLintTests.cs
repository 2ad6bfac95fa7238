using Runner.Appliance.Engine;
using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Tests.Infrastructure;
using Runner.Appliance.Tests.Peers;

// Not "…Tests.Roles": that would hide Runner.Appliance.Security.Roles from the other tests; "DeploymentRoles" keeps the filter ~Roles.
namespace Runner.Appliance.Tests.DeploymentRoles;

/// <summary>
/// The roles' static checks, in the test command: ansible-lint (production profile, offline, ansible/.ansible-lint)
/// over the whole ansible/ tree, and ansible-playbook --syntax-check of the wrapper playbook once per role of the
/// catalog that has its directory (the wrapper names its role only at run time, so lint cannot resolve it).
/// </summary>
public sealed class RoleLintTests
{
    private static readonly string Ansible = Repository.PathOf("ansible");

    [Fact]
    public async Task AnsibleLint_PassesWithTheProductionProfile()
    {
        using var cache = new TempDirectory();
        var lint = await SystemdMachines.RunAsync("ansible-lint", ["--offline", "--nocolor", "-p"],
            new Dictionary<string, string> { ["XDG_CACHE_HOME"] = cache.Path, ["ANSIBLE_HOME"] = Path.Combine(cache.Path, "ansible") }, TimeSpan.FromMinutes(5), Ansible);

        Assert.True(lint.ExitCode == 0, lint.Output + lint.Error);
        Assert.Contains("Passed with production profile", lint.Output + lint.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryRoleOfTheCatalogWithADirectory_PassesTheSyntaxCheck_ThroughTheWrapperPlaybook()
    {
        var catalog = Catalog.Load(Path.Combine(Ansible, "catalog.yml"), [.. SizingFile.LoadEmbedded().Groups.Select(g => g.Id)]);
        var roles = catalog.Roles.Where(r => Directory.Exists(Path.Combine(Ansible, "roles", r.Name))).ToList();
        Assert.Contains(roles, r => r.Name == "prepare-vms");
        using var home = new TempDirectory();
        foreach (var role in roles)
        {
            var check = await SystemdMachines.RunAsync("ansible-playbook",
                ["--syntax-check", "-i", "localhost,", Path.Combine(Ansible, "playbooks", "run_role.yml"), "-e", $"role_name={role.Name}", "-e", $"target_hosts={role.HostPattern}"],
                new Dictionary<string, string> { ["ANSIBLE_ROLES_PATH"] = Path.Combine(Ansible, "roles"), ["ANSIBLE_HOME"] = home.Path }, TimeSpan.FromMinutes(2), Ansible);
            Assert.True(check.ExitCode == 0, $"{role.Name}: {check.Output}{check.Error}");
        }
    }

    /// <summary>
    /// The RHEL-only firewalld ports (never converged here: the test machines are Debian) as the role computes
    /// them from the demo site's flow rules: a VM of LAN_APPS opens what LAN_INFRA and the DMZ reach it on, and SSH.
    /// </summary>
    [Fact]
    public async Task TheFirewalldPorts_AreTheFlowRulesIntoTheVmsZone()
    {
        using var work = new TempDirectory();
        var demo = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Repository.PathOf("docs", "examples", "demo-site.json")))!;
        var vars = new System.Text.Json.Nodes.JsonObject { ["flows"] = demo["flows"]!.DeepClone(), ["vm_zone"] = "LAN_APPS", ["vm_group"] = "rke2-apps-server" };
        var varsFile = Path.Combine(work.Path, "vars.json");
        await File.WriteAllTextAsync(varsFile, vars.ToJsonString());
        var evaluated = await SystemdMachines.RunAsync("ansible", ["localhost", "-m", "ansible.builtin.debug", "-a", "var=prepare_vms_firewalld_ports",
                "-e", "@" + Path.Combine(Ansible, "roles", "prepare-vms", "defaults", "main.yml"), "-e", "@" + varsFile],
            new Dictionary<string, string> { ["ANSIBLE_HOME"] = work.Path, ["ANSIBLE_LOCALHOST_WARNING"] = "False", ["ANSIBLE_INVENTORY_UNPARSED_WARNING"] = "False" },
            TimeSpan.FromMinutes(1), work.Path);

        Assert.True(evaluated.ExitCode == 0, evaluated.Output + evaluated.Error);
        var ports = System.Text.Json.Nodes.JsonNode.Parse(evaluated.Output[evaluated.Output.IndexOf('{', StringComparison.Ordinal)..])!["prepare_vms_firewalld_ports"]!.AsArray();
        Assert.Equal(["22/tcp", "443/tcp"], ports.Select(p => p!.GetValue<string>()));
    }

    /// <summary>What the issue's standard asks of an implemented role that the linter does not check.</summary>
    [Fact]
    public void EveryImplementedRole_HasItsReadmeMetaAndDocumentedDefaults()
    {
        var catalog = Catalog.Load(Path.Combine(Ansible, "catalog.yml"), [.. SizingFile.LoadEmbedded().Groups.Select(g => g.Id)]);
        foreach (var role in catalog.Roles.Where(r => r.Implemented && !r.Hidden))
        {
            var directory = Path.Combine(Ansible, "roles", role.Name);
            // A role on the appliance itself (localhost: provisioning through the hypervisors' APIs) has no OS of the site to vary by.
            string[] files = role.Targets.SequenceEqual(["localhost"])
                ? ["README.md", "meta/main.yml", "defaults/main.yml"]
                : ["README.md", "meta/main.yml", "defaults/main.yml", "vars/RedHat.yml", "vars/Debian.yml"];
            foreach (var file in files)
                Assert.True(File.Exists(Path.Combine(directory, file)), $"{role.Name} has no {file}");
        }
    }
}
