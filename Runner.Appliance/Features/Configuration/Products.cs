namespace Runner.Appliance.Features.Configuration;

/// <summary>The products the appliance can deploy; the sizing and the role plan depend on them.</summary>
public static class Products
{
    public static readonly IReadOnlyList<ProductInfo> All =
    [
        new("EServices", "EServices", "Citizen-facing e-services portal and its back office (needs Flowable)."),
        new("GCO", "GCO", "Case and correspondence management."),
    ];

    public static bool IsKnown(string id) => All.Any(p => p.Id == id);
}

public sealed record ProductInfo(string Id, string Name, string Description);
