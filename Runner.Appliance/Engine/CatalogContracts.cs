namespace Runner.Appliance.Engine;

/// <summary>
/// A secret a role needs the appliance to generate once and keep (catalog <c>secrets:</c>); the role reads
/// it as <c>runner_secrets.generated.&lt;name&gt;</c>. Names are [a-z][a-z0-9_]*, unique across the catalog.
/// </summary>
public sealed class CatalogSecret
{
    public string Name { get; set; } = "";

    public string Description { get; set; } = "";
}

/// <summary>
/// A value a role publishes with <c>set_stats</c> under <c>runner_outputs</c> (catalog <c>outputs:</c>); later
/// roles read it as <c>runner_outputs['&lt;role&gt;'].&lt;name&gt;</c>. A secret one is stored and shown as a secret.
/// </summary>
public sealed class CatalogOutput
{
    public string Name { get; set; } = "";

    public bool Secret { get; set; }
}
