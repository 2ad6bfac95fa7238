using Runner.Appliance.Engine;

namespace Runner.Appliance.Features.Artifacts;

/// <summary>What one catalog role needs; <see cref="Problem"/> when its declaration cannot be read.</summary>
public sealed record RoleNeed(string Role, bool InPlan, IReadOnlyList<string> Artifacts, string? Problem);

/// <summary>Which roles need which artifacts, and which of those roles the configured products run.</summary>
public sealed class ArtifactNeeds(CatalogFile catalog, IArtifactDeclarations declarations)
{
    /// <summary>
    /// Every catalog role that names an artifact (or whose list cannot be read). The plan is the roles of
    /// <paramref name="products"/> with the appliance's hidden check roles, since any start may select those.
    /// </summary>
    public IReadOnlyList<RoleNeed> Of(IReadOnlyCollection<string> products)
    {
        var needs = new List<RoleNeed>();
        foreach (var role in catalog.Catalog.Roles)
        {
            var inPlan = role.Products.Count == 0 || role.Products.Any(products.Contains);
            try
            {
                if (declarations.ArtifactsOf(role) is { Count: > 0 } names)
                    needs.Add(new RoleNeed(role.Name, inPlan, names, null));
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                needs.Add(new RoleNeed(role.Name, inPlan, [], e.Message));
            }
        }
        return needs;
    }

    public ArtifactLock Lock() => declarations.Lock();
}
