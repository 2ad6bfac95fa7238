using Runner.Appliance.Engine;
using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Tests.Infrastructure;
using Runner.Appliance.Tests.Peers;

// Not "…Tests.Roles": that would hide Runner.Appliance.Security.Roles from the other tests; "AnsibleRoles" keeps the filter ~Roles.
namespace Runner.Appliance.Tests.AnsibleRoles;

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

    /// <summary>What the standard asks of an implemented role that the linter does not check.</summary>
    [Fact]
    public void EveryImplementedRole_HasItsReadmeMetaAndDocumentedDefaults()
    {
        var catalog = Catalog.Load(Path.Combine(Ansible, "catalog.yml"), [.. SizingFile.LoadEmbedded().Groups.Select(g => g.Id)]);
        foreach (var role in catalog.Roles.Where(r => r.Implemented && !r.Hidden))
        {
            var directory = Path.Combine(Ansible, "roles", role.Name);
            foreach (var file in new[] { "README.md", "meta/main.yml", "defaults/main.yml", "vars/RedHat.yml", "vars/Debian.yml" })
                Assert.True(File.Exists(Path.Combine(directory, file)), $"{role.Name} has no {file}");
        }
    }
}
