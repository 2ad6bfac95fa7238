using Runner.Appliance.Features.Hypervisors;
using Runner.Appliance.Validation;
using Runner.Appliance.Integrations.Vsphere;

namespace Runner.Appliance.Features.Preflight.Vsphere;

/// <summary>
/// Whether each name the configuration gives (datacenter, cluster, datastore, …) exists in the inventory,
/// and, when it does not, what exists instead, so that the technician can correct it from the message.
/// </summary>
public sealed class VspherePlacement(VsphereInventory inventory, string datacenter)
{
    public string Datacenter => datacenter;

    /// <summary>The datacenter named by the configuration ("ha-datacenter" on a standalone ESXi host when left empty).</summary>
    public static string? DatacenterOf(HypervisorDto hypervisor) =>
        hypervisor.Datacenter.TrimmedOrNull() ?? (hypervisor.Kind == HypervisorKind.Esxi ? "ha-datacenter" : null);

    public static CheckOutcome CheckDatacenter(VsphereInventory inventory, string? name, string where)
    {
        if (name is null)
            return CheckOutcome.Failed($"No datacenter is set; datacenters on {where}: {List(inventory.Datacenters)}.", "datacenter");
        return inventory.Datacenters.Contains(name, StringComparer.Ordinal)
            ? CheckOutcome.Passed($"Datacenter {name} found on {where}.")
            : CheckOutcome.Failed(Missing("Datacenter", name, $"on {where}", "datacenters there", inventory.Datacenters), "datacenter");
    }

    public CheckOutcome CheckCluster(string? name, string field = "cluster")
    {
        if (name is null)
            return CheckOutcome.Failed($"No cluster is set; clusters in datacenter {datacenter}: {List(Clusters)}.", field);
        var cluster = inventory.Clusters.FirstOrDefault(c => c.Datacenter == datacenter && c.Name == name);
        return cluster is null
            ? CheckOutcome.Failed(Missing("Cluster", name, $"in datacenter {datacenter}", "clusters there", Clusters), field)
            : CheckOutcome.Passed($"Cluster {name} found: {cluster.Hosts} hosts, {cluster.CpuCores} cores, {cluster.RamGb} GB RAM.");
    }

    /// <summary>A host by name (in <paramref name="cluster"/> when given); unnamed, the only host of a standalone ESXi.</summary>
    public CheckOutcome CheckHost(string? name, string? cluster)
    {
        var hosts = inventory.Hosts.Where(h => h.Datacenter == datacenter && (cluster is null || h.Cluster == cluster)).ToList();
        var scope = cluster is null ? $"in datacenter {datacenter}" : $"in cluster {cluster}";
        if (name is null)
            return hosts.Count == 1
                ? CheckOutcome.Passed($"Not set: the VMs go to the host {hosts[0].Name} ({hosts[0].CpuCores} cores, {hosts[0].RamGb} GB RAM).")
                : CheckOutcome.Failed($"No ESXi host is set and {hosts.Count} hosts are {scope}: {List(hosts.Select(h => h.Name))}.", "esxiHost");
        var host = hosts.FirstOrDefault(h => h.Name == name);
        return host is null
            ? CheckOutcome.Failed(Missing("Host", name, scope, "hosts there", hosts.Select(h => h.Name)), "esxiHost")
            : CheckOutcome.Passed($"Host {name} found: {host.CpuCores} cores, {host.RamGb} GB RAM.");
    }

    public CheckOutcome CheckDatastore(string? name, string field = "datastore")
    {
        if (name is null)
            return CheckOutcome.Failed($"No datastore is set; datastores in datacenter {datacenter}: {List(Datastores)}.", field);
        var datastore = inventory.Datastores.FirstOrDefault(d => d.Datacenter == datacenter && d.Name == name);
        if (datastore is null)
            return CheckOutcome.Failed(Missing("Datastore", name, $"in datacenter {datacenter}", "datastores there", Datastores), field);
        return datastore.Accessible
            ? CheckOutcome.Passed($"Datastore {name} found: {datastore.FreeGb:N0} GB free of {datastore.CapacityGb:N0} GB.")
            : CheckOutcome.Failed($"Datastore {name} exists in datacenter {datacenter} but is not accessible (unmounted or its storage is down).", field);
    }

    public CheckOutcome CheckNetwork(string? name, string field = "network")
    {
        var names = inventory.Networks.Where(n => n.Datacenter == datacenter).Select(n => n.Name).ToList();
        if (name is null)
            return CheckOutcome.Failed($"No network is set; networks in datacenter {datacenter}: {List(names)}.", field);
        return names.Contains(name, StringComparer.Ordinal)
            ? CheckOutcome.Passed($"Network {name} found.")
            : CheckOutcome.Failed(Missing("Network", name, $"in datacenter {datacenter}", "networks and port groups there", names), field);
    }

    /// <summary>A resource pool owned by the cluster or standalone host the VMs go to (<paramref name="owner"/>; any when unknown).</summary>
    public CheckOutcome CheckResourcePool(string? name, string? owner)
    {
        if (name is null)
            return CheckOutcome.Passed("Not set: the VMs go to the root resource pool.");
        var pools = inventory.ResourcePools.Where(p => p.Datacenter == datacenter && (owner is null || p.Owner == owner)).Select(p => p.Name).ToList();
        var scope = owner is null ? $"in datacenter {datacenter}" : $"in {owner}";
        return pools.Contains(name, StringComparer.Ordinal)
            ? CheckOutcome.Passed($"Resource pool {name} found {scope}.")
            : CheckOutcome.Failed(Missing("Resource pool", name, scope, "pools there", pools), "resourcePool");
    }

    /// <summary>A VM folder by name or by path ("Apps/Prod", "/DC0/vm/Apps/Prod").</summary>
    public CheckOutcome CheckFolder(string? name)
    {
        if (name is null)
            return CheckOutcome.Passed("Not set: the VMs go to the datacenter's root VM folder.");
        var folders = inventory.Folders.Where(f => f.Datacenter == datacenter).ToList();
        var path = FolderPath(name);
        var found = path.Contains('/', StringComparison.Ordinal) || path.Length == 0
            ? folders.Any(f => f.Path == path)
            : folders.Any(f => f.Name == path && f.Path.Length > 0);
        return found
            ? CheckOutcome.Passed($"VM folder {name} found in datacenter {datacenter}.")
            : CheckOutcome.Failed(Missing("VM folder", name, $"in datacenter {datacenter}", "folders there", folders.Where(f => f.Path.Length > 0).Select(f => f.Path)), "folder");
    }

    /// <summary>A template (or VM) to clone by name; an ISO reference "[datastore] path.iso" has its datastore checked.</summary>
    public CheckOutcome CheckTemplate(string? name)
    {
        if (name is null)
            return CheckOutcome.Passed("Not set.");
        if (name.StartsWith('[') && name.IndexOf(']', StringComparison.Ordinal) is > 1 and var end)
        {
            var outcome = CheckDatastore(name[1..end].Trim(), "template");
            return outcome.Status == CheckStatus.Passed ? CheckOutcome.Passed($"ISO reference on datastore {name[1..end].Trim()}; the file itself is not checked.") : outcome;
        }
        var vms = inventory.Vms.Where(v => v.Datacenter == datacenter).ToList();
        var vm = vms.FirstOrDefault(v => v.Name == name);
        if (vm is null)
            return CheckOutcome.Failed(Missing("Template", name, $"in datacenter {datacenter}", "templates there", vms.Where(v => v.Template).Select(v => v.Name)), "template");
        return vm.Template
            ? CheckOutcome.Passed($"Template {name} found.")
            : CheckOutcome.Warn($"'{name}' is a virtual machine, not a template: it can be cloned, but a running VM gives inconsistent clones.", "template");
    }

    private IEnumerable<string> Clusters => inventory.Clusters.Where(c => c.Datacenter == datacenter).Select(c => c.Name);

    private IEnumerable<string> Datastores => inventory.Datastores.Where(d => d.Datacenter == datacenter).Select(d => d.Name);

    private string FolderPath(string name)
    {
        var path = name.Trim().Trim('/');
        if (path.StartsWith(datacenter + "/", StringComparison.Ordinal))
            path = path[(datacenter.Length + 1)..];
        return path == "vm" ? "" : path.StartsWith("vm/", StringComparison.Ordinal) ? path[3..] : path;
    }

    /// <summary>"Datastore 'DS9' not found in datacenter DC0; datastores there: LocalDS_0." with a hint when only the case differs.</summary>
    public static string Missing(string what, string name, string scope, string label, IEnumerable<string> existing)
    {
        var names = existing.Distinct().ToList();
        var sameButCase = names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        var hint = sameButCase is null ? "" : $" Names are case-sensitive: did you mean '{sameButCase}'?";
        return $"{what} '{name}' not found {scope}; {label}: {List(names)}.{hint}";
    }

    /// <summary>Names sorted, at most ten, or "none".</summary>
    public static string List(IEnumerable<string> names)
    {
        var sorted = names.Where(n => n.Length > 0).Distinct().Order(StringComparer.OrdinalIgnoreCase).ToList();
        return sorted.Count switch
        {
            0 => "none",
            <= 10 => string.Join(", ", sorted),
            _ => $"{string.Join(", ", sorted.Take(10))} and {sorted.Count - 10} more",
        };
    }
}
