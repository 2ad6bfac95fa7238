using Runner.Appliance.Features.Hypervisors;
using Runner.Appliance.Validation;
using Runner.Appliance.Integrations.Vsphere;

namespace Runner.Appliance.Features.Preflight.Vsphere;

// The names of the configuration against the inventory, then the capacity they offer the planned VMs.
public sealed partial class VsphereCheckGroup
{
    private void CheckInventory(VsphereInventory inventory, CheckReport report)
    {
        var datacenter = VspherePlacement.DatacenterOf(_hypervisor);
        var found = VspherePlacement.CheckDatacenter(inventory, datacenter, $"{_alias} ({Where})");
        report.Report(Datacenter, found);
        if (found.Status != CheckStatus.Passed)
        {
            report.SkipRest(Checks, $"The datacenter {datacenter ?? "(not set)"} was not found on {_alias}.");
            return;
        }
        var at = new VspherePlacement(inventory, datacenter!);
        var cluster = _hypervisor.Cluster.TrimmedOrNull();
        var host = _hypervisor.EsxiHost.TrimmedOrNull();
        if (Cluster is not null)
            report.Report(Cluster, at.CheckCluster(cluster));
        if (Host is not null)
            report.Report(Host, at.CheckHost(host, Cluster is null ? null : cluster));
        report.Report(Datastore, at.CheckDatastore(_hypervisor.Datastore.TrimmedOrNull()));
        report.Report(Network, at.CheckNetwork(_hypervisor.Network.TrimmedOrNull()));
        report.Report(ResourcePool, at.CheckResourcePool(_hypervisor.ResourcePool.TrimmedOrNull(), PoolOwner(inventory, at.Datacenter, cluster, host)));
        report.Report(Folder, at.CheckFolder(_hypervisor.Folder.TrimmedOrNull()));
        report.Report(Template, at.CheckTemplate(_hypervisor.Template.TrimmedOrNull()));
        foreach (var (zone, check) in _zones)
            report.Report(check, ZonePlacement(at, zone));
        report.Report(Capacity, ReadCapacity(inventory, at.Datacenter));
    }

    /// <summary>The overrides of a zone (cluster, datastore, network) exist; the first missing one is the field to correct.</summary>
    private static CheckOutcome ZonePlacement(VspherePlacement at, Zones.ZoneDto zone)
    {
        var outcomes = new List<CheckOutcome>();
        if (zone.Cluster.TrimmedOrNull() is { } cluster)
            outcomes.Add(at.CheckCluster(cluster));
        if (zone.Datastore.TrimmedOrNull() is { } datastore)
            outcomes.Add(at.CheckDatastore(datastore));
        if (zone.Network.TrimmedOrNull() is { } network)
            outcomes.Add(at.CheckNetwork(network));
        return outcomes.FirstOrDefault(o => o.Status is CheckStatus.Failed or CheckStatus.Warning) is { } problem
            ? CheckOutcome.Failed($"Zone {zone.Name}: {problem.Message}", problem.Field)
            : CheckOutcome.Passed(string.Join(" ", outcomes.Select(o => o.Message)));
    }

    /// <summary>The compute resource whose pools may hold the VMs: the cluster, or the standalone host's own.</summary>
    private string? PoolOwner(VsphereInventory inventory, string datacenter, string? cluster, string? host)
    {
        if (_hypervisor.Kind == HypervisorKind.VCenter)
            return cluster is not null && inventory.Clusters.Any(c => c.Datacenter == datacenter && c.Name == cluster) ? cluster : null;
        return StandaloneHost(inventory, datacenter, host)?.ComputeResource;
    }

    private static VsphereHost? StandaloneHost(VsphereInventory inventory, string datacenter, string? name)
    {
        var hosts = inventory.Hosts.Where(h => h.Datacenter == datacenter && h.Cluster is null).ToList();
        return name is null ? (hosts.Count == 1 ? hosts[0] : null) : hosts.FirstOrDefault(h => h.Name == name);
    }

    /// <summary>What the clusters and datastores the VMs go to offer, judged against the planned VMs; what was read is kept as <see cref="Reading"/>.</summary>
    private CheckOutcome ReadCapacity(VsphereInventory inventory, string datacenter)
    {
        var vms = _inputs.Vms.Where(v => string.Equals(v.Hypervisor?.Trim(), _alias, StringComparison.OrdinalIgnoreCase)).ToList();
        var zones = _zones.Select(z => z.Zone).ToList();
        var esxi = _hypervisor.Kind == HypervisorKind.Esxi;

        var clusterNames = vms.Select(v => v.Cluster.TrimmedOrNull() ?? "").Concat(zones.Select(z => z.Cluster.TrimmedOrNull() ?? ""))
            .Append(esxi ? "" : _hypervisor.Cluster.TrimmedOrNull() ?? "").Where(n => esxi || n.Length > 0).Distinct();
        var clusters = clusterNames.ToDictionary(n => n, n => n.Length == 0
            ? StandaloneHost(inventory, datacenter, _hypervisor.EsxiHost.TrimmedOrNull()) is { } h ? new VsphereCapacity.Compute("Host", h.Name, h.CpuCores, h.RamGb) : null
            : inventory.Clusters.FirstOrDefault(c => c.Datacenter == datacenter && c.Name == n) is { } c ? new VsphereCapacity.Compute("Cluster", c.Name, c.CpuCores, c.RamGb) : null);

        var datastoreNames = vms.Select(v => v.Datastore.TrimmedOrNull()).Concat(zones.Select(z => z.Datastore.TrimmedOrNull()))
            .Append(_hypervisor.Datastore.TrimmedOrNull()).OfType<string>().Distinct();
        var datastores = datastoreNames.ToDictionary(n => n, n => inventory.Datastores.FirstOrDefault(d => d.Datacenter == datacenter && d.Name == n));
        (var outcome, Reading) = _capacity.Check(_alias, vms, clusters, datastores);
        return outcome;
    }
}
