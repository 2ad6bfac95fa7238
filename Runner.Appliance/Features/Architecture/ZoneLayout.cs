using Runner.Appliance.Features.Hypervisors;
using Runner.Appliance.Features.Zones;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Architecture;

/// <summary>Where a VM runs: hypervisor alias, cluster, datastore (storage container) and network (subnet).</summary>
public sealed record VmPlacement(string Hypervisor, string? Cluster, string? Datastore, string? Network)
{
    public override string ToString() =>
        string.Join(" / ", new[] { Hypervisor, Cluster, Datastore, Network }.Where(p => !string.IsNullOrEmpty(p)));
}

/// <summary>
/// A zone as the architecture uses it: the addresses VMs may take and where its VMs are placed
/// (the zone's overrides, else the hypervisor's defaults).
/// </summary>
public sealed record ZoneLayout(string Name, Ipv4Network Subnet, uint Gateway, uint RangeStart, uint RangeEnd,
    IReadOnlySet<uint> Excluded, VmPlacement Placement, int VlanId, IReadOnlyList<string> DnsServers)
{
    public string Range => $"{Ipv4.Format(RangeStart)}–{Ipv4.Format(RangeEnd)}";

    public long RangeSize => (long)RangeEnd - RangeStart + 1;

    /// <summary>Why a VM cannot have <paramref name="address"/> in this zone, or null when it can.</summary>
    public string? Refuses(uint address)
    {
        if (!Subnet.Contains(address))
            return $"is outside zone {Name}'s subnet {Subnet}";
        if (!Subnet.IsHostAddress(address))
            return $"is the {(address == Subnet.Network ? "network" : "broadcast")} address of {Subnet}";
        if (address == Gateway)
            return $"is zone {Name}'s gateway";
        if (address < RangeStart || address > RangeEnd)
            return $"is outside zone {Name}'s reserved VM range {Range}";
        if (Excluded.Contains(address))
            return $"is excluded in zone {Name} (already taken on site)";
        return null;
    }

    /// <summary>The layout of a stored zone, or null when its addressing is not valid (the zone step shows why).</summary>
    public static ZoneLayout? From(Zone zone, IEnumerable<Hypervisor> hypervisors)
    {
        if (!Ipv4Network.TryParse(zone.Subnet, out var subnet, out _)
            || !Ipv4.TryParse(zone.Gateway, out var gateway)
            || !Ipv4.TryParse(zone.RangeStart, out var start)
            || !Ipv4.TryParse(zone.RangeEnd, out var end)
            || start > end || !subnet.Contains(start) || !subnet.Contains(end))
            return null;
        var excluded = new HashSet<uint>();
        foreach (var text in zone.ExcludedAddresses)
            if (Ipv4.TryParse(text, out var address))
                excluded.Add(address);
        var hypervisor = hypervisors.FirstOrDefault(h => string.Equals(h.Alias, zone.Hypervisor, StringComparison.OrdinalIgnoreCase));
        var nutanix = hypervisor?.Kind == HypervisorKind.Nutanix;
        var placement = new VmPlacement(
            hypervisor?.Alias ?? zone.Hypervisor,
            zone.Cluster.TrimmedOrNull() ?? hypervisor?.Cluster.TrimmedOrNull(),
            zone.Datastore.TrimmedOrNull() ?? (nutanix ? hypervisor?.StorageContainer : hypervisor?.Datastore).TrimmedOrNull(),
            zone.Network.TrimmedOrNull() ?? (nutanix ? hypervisor?.Subnet : hypervisor?.Network).TrimmedOrNull());
        return new ZoneLayout(zone.Name, subnet, gateway, start, end, excluded, placement, zone.VlanId, zone.DnsServers);
    }
}
