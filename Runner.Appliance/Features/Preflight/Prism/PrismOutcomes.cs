using Runner.Appliance.Features.Zones;
using Runner.Appliance.Integrations.Prism;

namespace Runner.Appliance.Features.Preflight.Prism;

/// <summary>What Prism Central's lists say about each configured name, as check outcomes.</summary>
public static class PrismOutcomes
{
    /// <summary>
    /// A VLAN subnet belongs to one cluster (cluster_reference) and only VMs of that cluster can use
    /// it; an overlay (VPC) subnet has no cluster and serves all. Without a known cluster, the name alone is checked.
    /// </summary>
    public static CheckOutcome Subnet(string name, PrismEntity? cluster, IReadOnlyList<PrismEntity> subnets, string endpoint, string prefix = "")
    {
        bool Usable(PrismEntity s) => cluster is null || s.ClusterUuid is null || s.ClusterUuid == cluster.Uuid;
        var named = subnets.Where(s => s.Name == name).ToList();
        var usable = named.Where(Usable).ToList();
        var where = cluster is null ? $"in {endpoint}" : $"on cluster {cluster.Name}";
        if (usable.Count > 1)
            return CheckOutcome.Warn($"{prefix}{usable.Count} subnets are named '{name}' {where}: a deployment by name cannot tell them apart; rename one in Prism Central.");
        if (usable.Count == 1)
            return CheckOutcome.Passed($"{prefix}Subnet '{name}' found {where} (uuid {usable[0].Uuid}).");
        var there = subnets.Where(Usable).Select(s => s.Name);
        if (named.Count > 0)
        {
            var others = string.Join(", ", named.Select(s => s.ClusterName ?? s.ClusterUuid).Distinct());
            return CheckOutcome.Failed($"{prefix}{PrismNames.Missing("Subnet", name, where, there)} A subnet of that name exists on cluster {others}.");
        }
        return CheckOutcome.Failed(prefix + PrismNames.Missing("Subnet", name, where, there));
    }

    /// <summary>A zone's subnet override, on the zone's own cluster when it names one, else on the hypervisor's.</summary>
    public static CheckOutcome ZoneSubnet(ZoneDto zone, string hypervisorCluster, IReadOnlyList<PrismEntity> clusters, IReadOnlyList<PrismEntity> subnets, string endpoint)
    {
        var prefix = $"Zone {zone.Name}: ";
        var clusterName = string.IsNullOrWhiteSpace(zone.Cluster) ? hypervisorCluster : zone.Cluster.Trim();
        var cluster = clusters.FirstOrDefault(c => c.Name == clusterName);
        if (cluster is null && !string.IsNullOrWhiteSpace(zone.Cluster))
            return CheckOutcome.Failed(prefix + PrismNames.Missing("Cluster", clusterName, $"in {endpoint}", clusters.Select(c => c.Name)), "cluster");
        return Subnet(zone.Network?.Trim() ?? "", cluster, subnets, endpoint, prefix);
    }

    /// <summary>
    /// A container's name is unique per cluster only. Its free space is compared with the disks of
    /// the VMs planned on this hypervisor: a shortfall is a warning, as Nutanix disks are thin.
    /// </summary>
    public static CheckOutcome Container(string name, PrismEntity? cluster, IReadOnlyList<PrismEntity> clusters, IReadOnlyList<PrismContainer> containers,
        long plannedDiskBytes, string alias, string endpoint)
    {
        var there = cluster is null ? containers : containers.Where(c => c.ClusterUuid == cluster.Uuid).ToList();
        var where = cluster is null ? $"in {endpoint}" : $"on cluster {cluster.Name}";
        var found = there.FirstOrDefault(c => c.Name == name);
        if (found is null)
        {
            var elsewhere = containers.Where(c => c.Name == name).Select(c => clusters.FirstOrDefault(k => k.Uuid == c.ClusterUuid)?.Name ?? c.ClusterUuid).ToList();
            var message = PrismNames.Missing("Storage container", name, where, there.Select(c => c.Name));
            return CheckOutcome.Failed(elsewhere.Count == 0 ? message : $"{message} A container of that name exists on cluster {string.Join(", ", elsewhere)}.");
        }
        if (found.FreeBytes is not { } free)
            return CheckOutcome.Passed($"Storage container '{name}' found {where} (its free space is not reported).");
        var space = $"{PrismNames.Size(free)} free{(found.CapacityBytes is { } capacity ? $" of {PrismNames.Size(capacity)}" : "")}";
        return plannedDiskBytes > free
            ? CheckOutcome.Warn($"Storage container '{name}' {where} has {space}, less than the {PrismNames.Size(plannedDiskBytes)} of disks planned on {alias}: the VMs fit only while their thin disks stay partly empty.")
            : CheckOutcome.Passed($"Storage container '{name}' found {where}: {space}.");
    }

    public static CheckOutcome Image(string name, IReadOnlyList<PrismEntity> images, string endpoint)
    {
        var found = images.FirstOrDefault(i => i.Name == name);
        return found is null
            ? CheckOutcome.Failed(PrismNames.Missing("Image", name, $"in {endpoint}", images.Select(i => i.Name)))
            : CheckOutcome.Passed($"Image '{name}' found (uuid {found.Uuid}).");
    }
}
