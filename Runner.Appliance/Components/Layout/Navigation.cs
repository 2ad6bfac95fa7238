using MudBlazor;

namespace Runner.Appliance.Components.Layout;

/// <summary>One entry of the navigation drawer. Entries whose page is not built yet are shown disabled.</summary>
public sealed record NavItem(string Title, string Href, string Icon, bool Available = true);

public static class Navigation
{
    /// <summary>The configuration wizard, in order .</summary>
    public static readonly IReadOnlyList<NavItem> WizardSteps =
    [
        new("Products", "wizard/products", Icons.Material.Filled.Inventory2),
        new("Hypervisors", "wizard/hypervisors", Icons.Material.Filled.Dns),
        new("Network zones", "wizard/zones", Icons.Material.Filled.Lan),
        new("Services", "wizard/services", Icons.Material.Filled.Storage),
        new("Security", "wizard/security", Icons.Material.Filled.Security),
        new("Flows", "wizard/flows", Icons.Material.Filled.SwapHoriz),
        new("Architecture", "wizard/architecture", Icons.Material.Filled.ViewInAr),
        new("Review", "wizard/review", Icons.Material.Filled.FactCheck),
    ];

    public static readonly NavItem Recap = new("Architecture recap", "architecture", Icons.Material.Filled.PieChart);

    public static readonly NavItem AnswerFile = new("Answer file", "answer-file", Icons.Material.Filled.ImportExport);

    public static readonly NavItem Preflight = new("Preflight", "preflight", Icons.Material.Filled.FlightTakeoff);

    public static readonly NavItem Deployment = new("Deployment", "deployment", Icons.Material.Filled.RocketLaunch);

    public static readonly NavItem Artifacts = new("Artifacts", "artifacts", Icons.Material.Filled.Inventory);

    public static readonly NavItem Credentials = new("Credentials", "credentials", Icons.Material.Filled.Key);

    public static readonly NavItem Diagnostics = new("Diagnostics", "diagnostics", Icons.Material.Filled.MedicalServices, Available: false);

    public static readonly NavItem Users = new("Users", "users", Icons.Material.Filled.People);

    public static readonly NavItem Audit = new("Audit trail", "audit", Icons.Material.Filled.History);
}
