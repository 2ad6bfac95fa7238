using Runner.Appliance.Features.Artifacts;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Runner.Appliance.Engine;

/// <summary><c>ansible/catalog.yml</c>: the deployment's phases and roles, in order.</summary>
public sealed class Catalog
{
    public int Version { get; set; }

    public List<CatalogPhase> Phases { get; set; } = [];

    public IEnumerable<CatalogRole> Roles => Phases.SelectMany(p => p.Roles);

    public CatalogRole? Role(string name) => Roles.FirstOrDefault(r => r.Name == name);

    public CatalogPhase PhaseOf(CatalogRole role) => Phases.First(p => p.Roles.Contains(role));

    /// <summary><c>artifacts.lock.yml</c> beside the catalog (empty when there is none), checked against its schema.</summary>
    [YamlIgnore]
    public ArtifactLock Lock { get; private set; } = new() { Version = 1 };

    /// <summary>What these roles install from the artifact store: each artifact once, in plan order, and the total size.</summary>
    public ArtifactPlan ArtifactsFor(IEnumerable<CatalogRole> roles) => ArtifactPlan.Of(roles.SelectMany(r => r.Artifacts), Lock);

    /// <summary>The roles a real deployment of these products runs, in order (hidden check roles left out).</summary>
    public IReadOnlyList<CatalogRole> PlanFor(IReadOnlyCollection<string> products) =>
        [.. Roles.Where(r => !r.Hidden && (r.Products.Count == 0 || r.Products.Any(products.Contains)))];

    /// <summary>Reads and checks the catalog; throws <see cref="InvalidDataException"/> naming every problem.</summary>
    public static Catalog Load(string path, IReadOnlyCollection<string> knownGroups)
    {
        Catalog catalog;
        try
        {
            using var reader = File.OpenText(path);
            catalog = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build().Deserialize<Catalog>(reader) ?? new Catalog();
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"{path}: not valid catalog YAML at line {e.Start.Line}: {e.InnerException?.Message ?? e.Message}", e);
        }
        var problems = new List<string>();
        if (catalog.Version != 1)
            problems.Add($"version is {catalog.Version}; this appliance reads version 1.");
        foreach (var duplicate in catalog.Roles.GroupBy(r => r.Name).Where(g => g.Count() > 1))
            problems.Add($"role '{duplicate.Key}' appears {duplicate.Count()} times.");
        foreach (var role in catalog.Roles)
        {
            if (role.Targets.Count == 0)
                problems.Add($"role '{role.Name}' has no targets.");
            foreach (var target in role.Targets.Where(t => t is not ("localhost" or "all") && !knownGroups.Contains(t)))
                problems.Add($"role '{role.Name}' targets '{target}', which is neither localhost, all nor a VM group of the sizing.");
            if (role.ExpectedS <= 0)
                problems.Add($"role '{role.Name}' has no expected duration.");
        }
        catalog.Lock = ReadArtifacts(catalog, Path.GetDirectoryName(Path.GetFullPath(path))!, problems);
        if (problems.Count > 0)
            throw new InvalidDataException($"{path} breaks the catalog rules:{Environment.NewLine}- {string.Join($"{Environment.NewLine}- ", problems)}");
        return catalog;
    }

    /// <summary>
    /// Reads the lock (a broken one throws, listing its own problems) and each role's
    /// <c>roles/&lt;role&gt;/meta/artifacts.yml</c>; a role naming an artifact the lock lacks is a problem.
    /// </summary>
    private static ArtifactLock ReadArtifacts(Catalog catalog, string ansibleDirectory, List<string> problems)
    {
        var lockPath = Path.Combine(ansibleDirectory, ArtifactLock.FileName);
        var artifactLock = File.Exists(lockPath) ? ArtifactLock.Load(lockPath) : new ArtifactLock { Version = 1 };
        foreach (var role in catalog.Roles)
        {
            try
            {
                role.Artifacts = [.. RoleArtifacts.Read(Path.Combine(ansibleDirectory, "roles", role.Name))];
            }
            catch (InvalidDataException e)
            {
                problems.Add($"role '{role.Name}': {e.Message}");
                continue;
            }
            foreach (var twice in role.Artifacts.GroupBy(a => a).Where(g => g.Count() > 1))
                problems.Add($"role '{role.Name}' names artifact '{twice.Key}' {twice.Count()} times in roles/{role.Name}/{RoleArtifacts.RelativePath}.");
            foreach (var missing in role.Artifacts.Distinct().Where(a => artifactLock.Artifact(a) is null))
                problems.Add($"role '{role.Name}' needs artifact '{missing}' (roles/{role.Name}/{RoleArtifacts.RelativePath}), which {ArtifactLock.FileName} lacks.");
        }
        return artifactLock;
    }
}

public sealed class CatalogPhase
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public List<CatalogRole> Roles { get; set; } = [];
}

public sealed class CatalogRole
{
    public string Name { get; set; } = "";

    public string Description { get; set; } = "";

    public List<string> Targets { get; set; } = [];

    public List<string> Products { get; set; } = [];

    public bool Idempotent { get; set; } = true;

    public int ExpectedS { get; set; }

    public bool Implemented { get; set; }

    public bool Hidden { get; set; }

    /// <summary>The secrets the appliance generates for the role (runner_secrets.generated.&lt;name&gt;).</summary>
    public List<CatalogSecret> Secrets { get; set; } = [];

    /// <summary>What the role publishes for later roles (runner_outputs['&lt;role&gt;'].&lt;name&gt;).</summary>
    public List<CatalogOutput> Outputs { get; set; } = [];

    /// <summary>The artifacts the role installs (its <c>meta/artifacts.yml</c>), names of the lock; none without that file.</summary>
    [YamlIgnore]
    public IReadOnlyList<string> Artifacts { get; set; } = [];

    /// <summary>The play's host pattern: groups as the inventory names them (rke2-apps-agent → rke2_apps_agent).</summary>
    public string HostPattern => string.Join(':', Targets.Select(t => t.Replace('-', '_')));
}
