using Runner.Appliance.Engine;

namespace Runner.Appliance.Features.Runs;

/// <summary>Which roles a start runs: the plan of the configured products, or the roles named; never a role that is not implemented.</summary>
public static class RunPlan
{
    public static IReadOnlyList<CatalogRole> Select(Catalog catalog, IReadOnlyList<string>? names, IReadOnlyCollection<string> products, out string? problem)
    {
        problem = null;
        IReadOnlyList<CatalogRole> roles;
        if (names is null || names.Count == 0)
            roles = catalog.PlanFor(products);
        else
        {
            var unknown = names.Where(n => catalog.Role(n) is null).ToList();
            if (unknown.Count > 0)
            {
                problem = $"Unknown role{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown)}; the catalog's roles are listed by GET /api/v1/plan.";
                return [];
            }
            roles = [.. catalog.Roles.Where(r => names.Contains(r.Name))];
        }
        var missing = roles.Where(r => !r.Implemented).Select(r => r.Name).ToList();
        if (missing.Count > 0)
            problem = $"The plan contains {missing.Count} role{(missing.Count > 1 ? "s" : "")} that {(missing.Count > 1 ? "are" : "is")} not implemented yet: {string.Join(", ", missing)}. Nothing was started; run selected roles that are implemented.";
        else if (roles.Count == 0)
            problem = "The plan is empty: select at least one role.";
        return roles;
    }
}
