namespace Runner.Appliance.Features.Architecture;

/// <summary>VM count and resources of a set of VMs.</summary>
public sealed record ResourceTotals(int Vms, int Vcpu, int RamGb, int DiskGb)
{
    public static ResourceTotals Of(IEnumerable<VirtualMachineDto> vms)
    {
        var list = vms.ToList();
        return new(list.Count, list.Sum(v => v.Vcpu), list.Sum(v => v.RamGb), list.Sum(v => v.DiskTotalGb));
    }

    public int Get(RecapMetric metric) => metric switch
    {
        RecapMetric.Vms => Vms,
        RecapMetric.Vcpu => Vcpu,
        RecapMetric.RamGb => RamGb,
        _ => DiskGb,
    };
}

public enum RecapMetric { Vcpu, RamGb, DiskGb, Vms }

public sealed record ZoneRecap(string Zone, ResourceTotals Totals);

public sealed record GroupRecap(string Group, string Zone, string Description, ResourceTotals Totals);

/// <summary>
/// Required against available for one placement target (a cluster, or a datastore), when the
/// preflight has seen it. <see cref="Problems"/> names every over-commit.
/// </summary>
public sealed record CapacityRecap(string Target, IReadOnlyList<string> Zones, string Resource, long Required, long? Available, DateTimeOffset? ObservedAt)
{
    public bool Known => Available is not null;

    public bool OverCommitted => Available is { } available && Required > available;
}

public sealed record ArchitectureRecap(ResourceTotals Total, IReadOnlyList<ZoneRecap> Zones, IReadOnlyList<GroupRecap> Groups,
    IReadOnlyList<CapacityRecap> Capacity, GenerationInfo? Generation)
{
    public IEnumerable<CapacityRecap> OverCommits => Capacity.Where(c => c.OverCommitted);

    /// <summary>Group totals of one metric, per zone: the stacked bar chart's series (one per group, one value per zone).</summary>
    public IReadOnlyList<(string Group, double[] PerZone)> StackedByZone(RecapMetric metric) =>
        [.. Groups.Select(g => (g.Group, Zones.Select(z => z.Zone == g.Zone ? (double)g.Totals.Get(metric) : 0).ToArray()))];
}
