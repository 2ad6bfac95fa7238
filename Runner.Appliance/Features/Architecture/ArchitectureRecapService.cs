using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;

namespace Runner.Appliance.Features.Architecture;

/// <summary>Totals of the stored architecture by zone and by group, and its needs against the known hypervisor capacity.</summary>
public sealed class ArchitectureRecapService(IDbContextFactory<ApplianceDb> dbFactory, ArchitectureService architecture)
{
    public async Task<ArchitectureRecap> RecapAsync(CancellationToken ct = default)
    {
        var vms = await architecture.ListAsync(ct: ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var clusters = await db.ClusterCapacities.AsNoTracking().ToListAsync(ct);
        var datastores = await db.DatastoreCapacities.AsNoTracking().ToListAsync(ct);
        return Build(vms, architecture.Rules, clusters, datastores, await architecture.GenerationAsync(ct));
    }

    public static ArchitectureRecap Build(IReadOnlyList<VirtualMachineDto> vms, SizingRules rules,
        IReadOnlyList<ClusterCapacity> clusters, IReadOnlyList<DatastoreCapacity> datastores, GenerationInfo? generation)
    {
        var zones = vms.Select(v => v.Zone!).Distinct().Select(z => new ZoneRecap(z, ResourceTotals.Of(vms.Where(v => v.Zone == z)))).ToList();
        var groups = vms.GroupBy(v => v.Group!)
            .Select(g => new GroupRecap(g.Key, g.First().Zone!, rules.Group(g.Key)?.Description ?? "", ResourceTotals.Of(g)))
            .ToList();
        return new ArchitectureRecap(ResourceTotals.Of(vms), zones, groups, Capacity(vms, rules.Capacity, clusters, datastores), generation);
    }

    private static List<CapacityRecap> Capacity(IReadOnlyList<VirtualMachineDto> vms, CapacityPolicy policy,
        IReadOnlyList<ClusterCapacity> clusters, IReadOnlyList<DatastoreCapacity> datastores)
    {
        var result = new List<CapacityRecap>();
        foreach (var target in vms.GroupBy(v => (Hypervisor: v.Hypervisor!.ToLowerInvariant(), Cluster: v.Cluster ?? "")))
        {
            var seen = clusters.FirstOrDefault(c => string.Equals(c.Hypervisor, target.Key.Hypervisor, StringComparison.OrdinalIgnoreCase) && c.Cluster == target.Key.Cluster);
            var name = $"{target.First().Hypervisor}{(target.Key.Cluster.Length > 0 ? $" / {target.Key.Cluster}" : "")}";
            var zones = target.Select(v => v.Zone!).Distinct().ToList();
            result.Add(new CapacityRecap(name, zones, "vCPU", target.Sum(v => v.Vcpu),
                seen is null ? null : (long)Math.Floor(seen.PhysicalCores * policy.VcpuPerCore), seen?.ObservedAt));
            result.Add(new CapacityRecap(name, zones, "RAM (GB)", target.Sum(v => v.RamGb),
                seen is null ? null : (long)Math.Floor(seen.RamGb * policy.RamRatio), seen?.ObservedAt));
        }
        foreach (var target in vms.Where(v => v.Datastore is not null).GroupBy(v => (Hypervisor: v.Hypervisor!.ToLowerInvariant(), v.Datastore)))
        {
            var seen = datastores.FirstOrDefault(d => string.Equals(d.Hypervisor, target.Key.Hypervisor, StringComparison.OrdinalIgnoreCase) && d.Datastore == target.Key.Datastore);
            result.Add(new CapacityRecap($"{target.First().Hypervisor} / {target.Key.Datastore}", [.. target.Select(v => v.Zone!).Distinct()], "Disk (GB)",
                target.Sum(v => v.DiskTotalGb), seen is null ? null : (long)Math.Floor(seen.FreeGb * policy.DatastoreHeadroom), seen?.ObservedAt));
        }
        return result;
    }
}
