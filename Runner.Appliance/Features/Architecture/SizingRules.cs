namespace Runner.Appliance.Features.Architecture;

/// <summary>
/// The sizing rules as read from <c>sizing.yml</c>: tiers of concurrent users, VM groups with a
/// size per tier and extra VMs per product, the limits of a VM and the capacity policy.
/// </summary>
public sealed class SizingRules
{
    public int Version { get; set; }

    public string HostnamePattern { get; set; } = "{prefix}-{group}-{nn}";

    public List<SizingTier> Tiers { get; set; } = [];

    public SizingLimits Limits { get; set; } = new();

    public CapacityPolicy Capacity { get; set; } = new();

    public List<VmGroupRule> Groups { get; set; } = [];

    /// <summary>The first tier whose maximum covers <paramref name="users"/>; null above the last.</summary>
    public SizingTier? TierFor(int users) => Tiers.FirstOrDefault(t => users <= t.MaxUsers);

    public VmGroupRule? Group(string id) => Groups.FirstOrDefault(g => g.Id == id);

    /// <summary>What a flow may name inside <paramref name="zone"/>: its VM groups and the Kubernetes clusters they form.</summary>
    public IReadOnlyList<string> EndpointsIn(string zone) =>
        [.. Groups.Where(g => g.Zone == zone).SelectMany(g => g.Cluster is null ? [g.Id] : new[] { g.Cluster, g.Id }).Distinct()];

    /// <summary>The users a tier covers, e.g. "501–2,000".</summary>
    public string RangeOf(SizingTier tier)
    {
        var index = Tiers.IndexOf(tier);
        var from = index == 0 ? 1 : Tiers[index - 1].MaxUsers + 1;
        return $"{from:N0}–{tier.MaxUsers:N0}";
    }
}

public sealed class SizingTier
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public int MaxUsers { get; set; }

    public string Description { get; set; } = "";
}

public sealed class VmGroupRule
{
    public string Id { get; set; } = "";

    public string Description { get; set; } = "";

    public string Zone { get; set; } = "";

    /// <summary>The Kubernetes cluster the group's nodes belong to (a parent group of the inventory).</summary>
    public string? Cluster { get; set; }

    /// <summary>The Ansible roles whose plays target this group.</summary>
    public List<string> Roles { get; set; } = [];

    /// <summary>When set, the group exists only if one of these products is deployed.</summary>
    public List<string> Products { get; set; } = [];

    public Dictionary<string, VmSize> Tiers { get; set; } = [];

    /// <summary>Extra VMs per selected product, per tier.</summary>
    public Dictionary<string, Dictionary<string, int>> PerProduct { get; set; } = [];
}

public sealed class VmSize
{
    public int Count { get; set; }

    public int Vcpu { get; set; }

    public int RamGb { get; set; }

    public List<int> DisksGb { get; set; } = [];
}

public sealed class SizingLimits
{
    public Bounds Vcpu { get; set; } = new() { Min = 1, Max = 64 };

    public Bounds RamGb { get; set; } = new() { Min = 1, Max = 512 };

    public Bounds DiskGb { get; set; } = new() { Min = 10, Max = 16384 };

    public Bounds Disks { get; set; } = new() { Min = 1, Max = 8 };

    public int CountPerGroup { get; set; } = 50;
}

public sealed class Bounds
{
    public int Min { get; set; }

    public int Max { get; set; }

    public bool Contains(int value) => value >= Min && value <= Max;

    public override string ToString() => $"{Min:N0} to {Max:N0}";
}

public sealed class CapacityPolicy
{
    public double VcpuPerCore { get; set; } = 4;

    public double RamRatio { get; set; } = 1;

    public double DatastoreHeadroom { get; set; } = 0.9;
}
