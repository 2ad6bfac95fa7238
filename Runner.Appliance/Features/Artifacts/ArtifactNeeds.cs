using Runner.Appliance.Engine;

namespace Runner.Appliance.Features.Artifacts;

/// <summary>What one catalog role needs, and whether the configured products run it.</summary>
public sealed record RoleNeed(string Role, bool InPlan, IReadOnlyList<string> Artifacts);

/// <summary>
/// Which roles need which artifacts, and which of those roles the configured products run. The catalog
/// read the lock (schema-checked) and every role's <c>meta/artifacts.yml</c> at start-up and refused a
/// role naming an artifact the lock lacks; this only reads what it loaded.
/// </summary>
public sealed class ArtifactNeeds(CatalogFile catalog)
{
    /// <summary>
    /// Every catalog role that names an artifact. The plan is the roles of <paramref name="products"/> with
    /// the appliance's hidden check roles, since any start may select those.
    /// </summary>
    public IReadOnlyList<RoleNeed> Of(IReadOnlyCollection<string> products) =>
        [.. catalog.Catalog.Roles
            .Where(r => r.Artifacts.Count > 0)
            .Select(r => new RoleNeed(r.Name, r.Products.Count == 0 || r.Products.Any(products.Contains), r.Artifacts))];

    public ArtifactLock Lock() => catalog.Catalog.Lock;
}
