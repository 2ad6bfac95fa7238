namespace Runner.Appliance.Integrations.Vsphere;

public sealed record VsphereCluster(string Name, string Datacenter, int CpuCores, int RamGb, int Hosts);

/// <summary>An ESXi host; <see cref="Cluster"/> is null for a standalone host (its own compute resource).</summary>
public sealed record VsphereHost(string Name, string Datacenter, string? Cluster, string ComputeResource, int CpuCores, int RamGb);

public sealed record VsphereDatastore(string Name, string Datacenter, long CapacityGb, long FreeGb, bool Accessible);

public sealed record VsphereNetwork(string Name, string Datacenter, bool Distributed);

/// <summary>A resource pool and the compute resource (cluster or standalone host) that owns it.</summary>
public sealed record VsphereResourcePool(string Name, string Datacenter, string Owner);

/// <summary>A VM folder; <see cref="Path"/> is relative to the datacenter's root VM folder ("" for that root).</summary>
public sealed record VsphereFolder(string Name, string Datacenter, string Path);

public sealed record VsphereVm(string Name, string Datacenter, bool Template);

/// <summary>
/// What the checks compare the configuration with, read through one container view. The
/// datacenter of each object is found by walking the parent references in memory, not by one call per object.
/// </summary>
public sealed record VsphereInventory(IReadOnlyList<string> Datacenters, IReadOnlyList<VsphereCluster> Clusters, IReadOnlyList<VsphereHost> Hosts,
    IReadOnlyList<VsphereDatastore> Datastores, IReadOnlyList<VsphereNetwork> Networks, IReadOnlyList<VsphereResourcePool> ResourcePools,
    IReadOnlyList<VsphereFolder> Folders, IReadOnlyList<VsphereVm> Vms)
{
    private const long GiB = 1L << 30;
    private const long MiB = 1L << 20;

    private static readonly Dictionary<string, string[]> Properties = new()
    {
        ["Datacenter"] = ["name", "parent"],
        ["Folder"] = ["name", "parent", "childType"],
        ["ComputeResource"] = ["name", "parent"],
        ["ClusterComputeResource"] = ["summary"],
        ["HostSystem"] = ["name", "parent", "summary.hardware"],
        ["Datastore"] = ["name", "parent", "summary"],
        ["Network"] = ["name", "parent"],
        ["ResourcePool"] = ["name", "parent", "owner"],
    };

    private static readonly string[] VmProperties = ["name", "parent", "config.template"];

    /// <summary>Reads the inventory; VMs (for the template) only when asked, since a vCenter may hold thousands.</summary>
    public static async Task<VsphereInventory> ReadAsync(VsphereClient client, bool withVms, CancellationToken ct, int maxObjects = 500)
    {
        var properties = new Dictionary<string, string[]>(Properties);
        if (withVms)
            properties["VirtualMachine"] = VmProperties;
        var view = await client.CreateContainerViewAsync(properties.Keys, ct);
        var objects = await client.RetrieveAsync(view, properties, maxObjects, ct);
        await client.DestroyViewAsync(view, ct);
        return From(objects);
    }

    public static VsphereInventory From(IReadOnlyList<ObjectContent> objects)
    {
        var byRef = objects.DistinctBy(o => o.Obj).ToDictionary(o => o.Obj);
        string Name(MoRef? r) => r is not null && byRef.TryGetValue(r, out var o) ? o.String("name") ?? "" : "";
        IEnumerable<ObjectContent> Ancestors(ObjectContent o)
        {
            // Bounded walk: a broken parent chain must not loop.
            for (var (current, depth) = (o.Ref("parent"), 0); current is not null && depth < 64 && byRef.TryGetValue(current, out var p); current = p.Ref("parent"), depth++)
                yield return p;
        }
        string DatacenterOf(ObjectContent o) => Ancestors(o).FirstOrDefault(a => a.Obj.Type == "Datacenter")?.String("name") ?? "";
        IEnumerable<ObjectContent> OfType(params string[] types) => objects.Where(o => types.Contains(o.Obj.Type));

        var clusters = OfType("ClusterComputeResource").Select(c => new VsphereCluster(c.String("name") ?? "", DatacenterOf(c),
            (int)(c.Long("summary", "numCpuCores") ?? 0), ClusterRamGb(c), (int)(c.Long("summary", "numHosts") ?? 0))).ToList();
        var hosts = OfType("HostSystem").Select(h => new VsphereHost(h.String("name") ?? "", DatacenterOf(h),
            h.Ref("parent")?.Type == "ClusterComputeResource" ? Name(h.Ref("parent")) : null, Name(h.Ref("parent")),
            (int)(h.Long("summary.hardware", "numCpuCores") ?? 0), (int)((h.Long("summary.hardware", "memorySize") ?? 0) / GiB))).ToList();
        var datastores = OfType("Datastore").Select(d => new VsphereDatastore(d.String("name") ?? "", DatacenterOf(d),
            (d.Long("summary", "capacity") ?? 0) / GiB, (d.Long("summary", "freeSpace") ?? 0) / GiB,
            d.Properties.GetValueOrDefault("summary")?.Element(VsphereXml.Vim + "accessible")?.Value != "false")).ToList();
        var networks = OfType("Network", "DistributedVirtualPortgroup", "OpaqueNetwork")
            .Select(n => new VsphereNetwork(n.String("name") ?? "", DatacenterOf(n), n.Obj.Type == "DistributedVirtualPortgroup")).ToList();
        var pools = OfType("ResourcePool", "VirtualApp").Select(p => new VsphereResourcePool(p.String("name") ?? "", DatacenterOf(p), Name(p.Ref("owner")))).ToList();
        var folders = OfType("Folder").Where(f => f.Strings("childType").Contains("VirtualMachine"))
            .Select(f => new VsphereFolder(f.String("name") ?? "", DatacenterOf(f), FolderPath(f, Ancestors(f)))).ToList();
        var vms = OfType("VirtualMachine").Select(v => new VsphereVm(v.String("name") ?? "", DatacenterOf(v), v.Bool("config.template") == true)).ToList();
        return new VsphereInventory([.. OfType("Datacenter").Select(d => d.String("name") ?? "")], clusters, hosts, datastores, networks, pools, folders, vms);
    }

    /// <summary>
    /// RAM the cluster offers to VMs: effectiveMemory (MB, hosts in maintenance and overhead left out),
    /// bounded by totalMemory (bytes). The simulator reports effectiveMemory in bytes, which the bound catches.
    /// </summary>
    private static int ClusterRamGb(ObjectContent cluster)
    {
        var totalMb = (cluster.Long("summary", "totalMemory") ?? 0) / MiB;
        var effectiveMb = cluster.Long("summary", "effectiveMemory") ?? totalMb;
        if (effectiveMb > totalMb)
            effectiveMb /= MiB;
        return (int)(Math.Min(effectiveMb, totalMb) / 1024);
    }

    /// <summary>The folder's path below the datacenter's root VM folder ("" for the root folder "vm" itself).</summary>
    private static string FolderPath(ObjectContent folder, IEnumerable<ObjectContent> ancestors)
    {
        var chain = new List<string>();
        if (folder.Ref("parent")?.Type == "Datacenter")
            return "";
        chain.Add(folder.String("name") ?? "");
        foreach (var ancestor in ancestors)
        {
            if (ancestor.Ref("parent")?.Type == "Datacenter" || ancestor.Obj.Type != "Folder")
                break;
            chain.Add(ancestor.String("name") ?? "");
        }
        chain.Reverse();
        return string.Join('/', chain);
    }
}
