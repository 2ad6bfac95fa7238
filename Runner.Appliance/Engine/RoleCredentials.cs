using System.Text.RegularExpressions;

namespace Runner.Appliance.Engine;

/// <summary>A secret a role needs the appliance to generate: once, with a CSPRNG, kept through the secret protector.</summary>
public sealed class CatalogSecret
{
    public string Name { get; set; } = "";

    public string Description { get; set; } = "";

    /// <summary>Characters, from letters and digits (32: 190 bits).</summary>
    public int Length { get; set; } = 32;
}

/// <summary>A result a role publishes (<c>set_stats: data: {runner_outputs: {name: …}}</c>); secret unless declared otherwise.</summary>
public sealed class CatalogOutput
{
    public string Name { get; set; } = "";

    public string Description { get; set; } = "";

    public bool Secret { get; set; } = true;
}

/// <summary>The catalog rules for <see cref="CatalogRole.Secrets"/> and <see cref="CatalogRole.Outputs"/>.</summary>
internal static partial class RoleCredentials
{
    public static void Check(Catalog catalog, List<string> problems)
    {
        foreach (var role in catalog.Roles)
        {
            foreach (var secret in role.Secrets.Where(s => !Name().IsMatch(s.Name)))
                problems.Add($"role '{role.Name}' declares secret '{secret.Name}': a name is lower-case letters, digits and '_', starting with a letter.");
            foreach (var secret in role.Secrets.Where(s => s.Length is < 16 or > 128))
                problems.Add($"role '{role.Name}' declares secret '{secret.Name}' of {secret.Length} characters: between 16 and 128.");
            foreach (var output in role.Outputs.Where(o => !Name().IsMatch(o.Name)))
                problems.Add($"role '{role.Name}' declares output '{output.Name}': a name is lower-case letters, digits and '_', starting with a letter.");
            foreach (var twice in role.Outputs.GroupBy(o => o.Name).Where(g => g.Count() > 1))
                problems.Add($"role '{role.Name}' declares output '{twice.Key}' {twice.Count()} times.");
        }
        // One name, one secret: every role reads every generated secret, so one that several roles share (a cluster token) is declared by one.
        foreach (var twice in catalog.Roles.SelectMany(r => r.Secrets.Select(s => (Role: r.Name, s.Name))).GroupBy(s => s.Name).Where(g => g.Count() > 1))
            problems.Add($"secret '{twice.Key}' is declared by {string.Join(" and ", twice.Select(s => s.Role))}: each generated secret is declared once.");
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$")]
    private static partial Regex Name();
}
