using Microsoft.Extensions.Options;
using Runner.Appliance.Features.Architecture;

namespace Runner.Appliance.Engine;

/// <summary>Where the ansible/ tree is, and its catalog, read once on first use.</summary>
public sealed class CatalogFile
{
    private readonly Lazy<Catalog> _catalog;

    public CatalogFile(IOptions<EngineOptions> options, IHostEnvironment environment, SizingFile sizing)
    {
        AnsibleDirectory = Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.AnsibleDirectory));
        _catalog = new(() => Catalog.Load(Path.Combine(AnsibleDirectory, "catalog.yml"), [.. sizing.Rules.Groups.Select(g => g.Id)]));
    }

    public string AnsibleDirectory { get; }

    /// <summary>The program every ansible-playbook runs under, so that it dies with the appliance.</summary>
    public string GuardPath => Path.Combine(AnsibleDirectory, "libexec", "runner-guard.py");

    public Catalog Catalog => _catalog.Value;
}
