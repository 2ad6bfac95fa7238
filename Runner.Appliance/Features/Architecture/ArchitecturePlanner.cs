using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Architecture;

/// <summary>
/// Turns the sizing into VMs: names from the pattern, addresses from each zone's reserved range,
/// placement from the zone. Against the stored architecture it keeps hand edits (unless reset),
/// keeps every address that is still valid (so that DNS records made on site stay right) and
/// says what changes. Pure: the service loads and saves.
/// </summary>
public static class ArchitecturePlanner
{
    public static ArchitecturePlan Plan(SizingRules rules, SizingResult sizing, string prefix,
        IReadOnlyDictionary<string, ZoneLayout?> zones, IReadOnlyList<VirtualMachine> existing, bool reset)
    {
        var problems = CheckZones(sizing, zones);
        if (!problems.IsEmpty)
            return new ArchitecturePlan(sizing.Tier, [], [], [], problems);

        var stored = existing.ToDictionary(v => (v.Group, v.Index));
        var drafts = sizing.Vms.Select(spec => NewDraft(rules, spec, prefix, zones[spec.Zone]!, stored.GetValueOrDefault((spec.Group, spec.Index)), reset)).ToList();
        var changes = new List<VmChange>();
        foreach (var zone in drafts.GroupBy(d => d.Spec.Zone))
            Address(zones[zone.Key]!, [.. zone], reset, problems, changes);
        CheckHostNames(drafts, problems);
        if (!problems.IsEmpty)
            return new ArchitecturePlan(sizing.Tier, [], [], [], problems);

        var planned = drafts.Select(d => d.ToPlanned()).ToList();
        foreach (var (draft, vm) in drafts.Zip(planned))
            Describe(draft, vm, changes);
        var kept = sizing.Vms.Select(s => (s.Group, s.Index)).ToHashSet();
        var removed = existing.Where(v => !kept.Contains((v.Group, v.Index))).OrderBy(v => v.Id).ToList();
        changes.AddRange(removed.Select(v => new VmChange(VmChangeKind.Removed, v.HostName, v.Group,
            $"{v.IpAddress} in {v.Zone} is no longer needed by the sizing{(v.EditedFields.Count > 0 ? " (it had hand edits)" : "")}")));
        return new ArchitecturePlan(sizing.Tier, planned, [.. removed.Select(v => v.Id)], changes, problems);
    }

    private static FieldErrors CheckZones(SizingResult sizing, IReadOnlyDictionary<string, ZoneLayout?> zones)
    {
        var problems = new FieldErrors();
        foreach (var needed in sizing.Vms.GroupBy(v => v.Zone))
        {
            var groups = string.Join(", ", needed.Select(v => v.Group).Distinct());
            if (!zones.TryGetValue(needed.Key, out var layout))
                problems.Add($"zones.{needed.Key}", $"Zone {needed.Key} does not exist; the groups {groups} need it. Add it in the Network zones step.");
            else if (layout is null)
                problems.Add($"zones.{needed.Key}", $"Zone {needed.Key} has no valid subnet, gateway and reserved range yet; fix it in the Network zones step.");
        }
        return problems;
    }

    private static Draft NewDraft(SizingRules rules, VmSpec spec, string prefix, ZoneLayout zone, VirtualMachine? current, bool reset)
    {
        var edits = reset || current is null ? [] : current.EditedFields.ToList();
        var draft = new Draft(spec, current, edits)
        {
            GeneratedName = Sizing.HostName(rules, prefix, spec.Group, spec.Index),
            Placement = zone.Placement,
            Vcpu = spec.Vcpu,
            RamGb = spec.RamGb,
            DisksGb = spec.DisksGb,
        };
        draft.HostName = edits.Contains(VmEdits.HostName) ? current!.HostName : draft.GeneratedName;
        if (edits.Contains(VmEdits.Size))
            (draft.Vcpu, draft.RamGb, draft.DisksGb) = (current!.Vcpu, current.RamGb, current.DisksGb);
        if (edits.Contains(VmEdits.Placement))
            draft.Placement = new VmPlacement(current!.Hypervisor, current.Cluster, current.Datastore, current.Network);
        return draft;
    }

    /// <summary>
    /// Hand-set addresses first, then the addresses the VMs already have, then the lowest free
    /// addresses of the range for the rest. Never network, broadcast, gateway or an excluded address.
    /// </summary>
    private static void Address(ZoneLayout zone, List<Draft> drafts, bool reset, FieldErrors problems, List<VmChange> changes)
    {
        var used = new HashSet<uint>();
        foreach (var draft in drafts.Where(d => d.Edits.Contains(VmEdits.IpAddress)))
        {
            var refusal = Claim(zone, draft, used);
            if (refusal is null)
                continue;
            draft.Edits.Remove(VmEdits.IpAddress);
            changes.Add(new VmChange(VmChangeKind.EditDropped, draft.HostName, draft.Spec.Group,
                $"the address set by hand, {draft.Current!.IpAddress}, {refusal}; a new one is allocated"));
        }
        if (!reset)
            foreach (var draft in drafts.Where(d => d.Address is null && d.Current is not null))
                Claim(zone, draft, used);

        var waiting = new Queue<Draft>(drafts.Where(d => d.Address is null));
        var needed = waiting.Count;
        for (var address = zone.RangeStart; waiting.Count > 0 && address <= zone.RangeEnd && address >= zone.RangeStart; address++)
            if (!used.Contains(address) && zone.Refuses(address) is null)
            {
                used.Add(address);
                waiting.Dequeue().Address = address;
            }
        if (waiting.Count == 0)
            return;
        var free = needed - waiting.Count;
        var taken = used.Count - free;
        problems.Add($"zones.{zone.Name}",
            $"Zone {zone.Name} is {waiting.Count} address{(waiting.Count == 1 ? "" : "es")} short: {drafts.Count} VMs need one, the reserved range {zone.Range} " +
            $"has {zone.RangeSize:N0} addresses of which {zone.Excluded.Count(a => a >= zone.RangeStart && a <= zone.RangeEnd)} are excluded" +
            $"{(taken > 0 ? $" and {taken} already held by VMs" : "")}. Widen the range (or remove exclusions) in the Network zones step.");
    }

    private static string? Claim(ZoneLayout zone, Draft draft, HashSet<uint> used)
    {
        if (draft.Current is null || draft.Current.Zone != zone.Name)
            return $"belongs to zone {draft.Current?.Zone}, not {zone.Name}";
        if (!Ipv4.TryParse(draft.Current.IpAddress, out var address))
            return "is not an IPv4 address";
        if (zone.Refuses(address) is { } refusal)
            return refusal;
        if (!used.Add(address))
            return "is also set on another VM";
        draft.Address = address;
        return null;
    }

    private static void CheckHostNames(List<Draft> drafts, FieldErrors problems)
    {
        foreach (var clash in drafts.GroupBy(d => d.HostName, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            problems.Add("hostName", $"Host name {clash.Key} would be given to {string.Join(" and ", clash.Select(d => $"{d.Spec.Group} #{d.Spec.Index}"))}; rename the VM whose name was set by hand.");
    }

    private static void Describe(Draft draft, PlannedVm vm, List<VmChange> changes)
    {
        var current = draft.Current;
        if (current is null)
        {
            changes.Add(new VmChange(VmChangeKind.Added, vm.HostName, vm.Group, $"{vm.IpAddress} in {vm.Zone}, {Size(vm.Vcpu, vm.RamGb, vm.DisksGb)}"));
            return;
        }
        foreach (var dropped in current.EditedFields.Except(draft.Edits).Where(f => f != VmEdits.IpAddress || !changes.Any(c => c.Kind == VmChangeKind.EditDropped && c.HostName == vm.HostName)))
            changes.Add(new VmChange(VmChangeKind.EditDropped, vm.HostName, vm.Group, $"the {Label(dropped)} set by hand is reset to the generated one"));
        if (current.Vcpu != vm.Vcpu || current.RamGb != vm.RamGb || !current.DisksGb.SequenceEqual(vm.DisksGb))
            changes.Add(new VmChange(VmChangeKind.Resized, vm.HostName, vm.Group, $"{Size(current.Vcpu, current.RamGb, current.DisksGb)} → {Size(vm.Vcpu, vm.RamGb, vm.DisksGb)}"));
        if (current.IpAddress != vm.IpAddress)
            changes.Add(new VmChange(VmChangeKind.Readdressed, vm.HostName, vm.Group, $"{current.IpAddress} → {vm.IpAddress}"));
        if (current.HostName != vm.HostName)
            changes.Add(new VmChange(VmChangeKind.Renamed, vm.HostName, vm.Group, $"{current.HostName} → {vm.HostName}"));
        var placement = new VmPlacement(current.Hypervisor, current.Cluster, current.Datastore, current.Network);
        if (placement != vm.Placement)
            changes.Add(new VmChange(VmChangeKind.Moved, vm.HostName, vm.Group, $"{placement} → {vm.Placement}"));
        if (draft.Edits.Count > 0 && draft.DiffersFromGenerated)
            changes.Add(new VmChange(VmChangeKind.EditKept, vm.HostName, vm.Group, $"keeps the {string.Join(", ", draft.Edits.Select(Label))} set by hand"));
    }

    public static string Size(int vcpu, int ramGb, IReadOnlyCollection<int> disksGb) =>
        $"{vcpu} vCPU / {ramGb} GB / {string.Join("+", disksGb)} GB";

    public static string Label(string edit) => edit switch
    {
        VmEdits.Size => "size",
        VmEdits.IpAddress => "IP address",
        VmEdits.HostName => "host name",
        VmEdits.Placement => "placement",
        _ => edit,
    };

    private sealed class Draft(VmSpec spec, VirtualMachine? current, List<string> edits)
    {
        public VmSpec Spec { get; } = spec;

        public VirtualMachine? Current { get; } = current;

        public List<string> Edits { get; } = edits;

        public string GeneratedName { get; init; } = "";

        public string HostName { get; set; } = "";

        public uint? Address { get; set; }

        public int Vcpu { get; set; }

        public int RamGb { get; set; }

        public IReadOnlyList<int> DisksGb { get; set; } = [];

        public VmPlacement Placement { get; set; } = default!;

        public bool DiffersFromGenerated =>
            HostName != GeneratedName || Vcpu != Spec.Vcpu || RamGb != Spec.RamGb || !DisksGb.SequenceEqual(Spec.DisksGb)
            || Edits.Contains(VmEdits.IpAddress) || Edits.Contains(VmEdits.Placement);

        public PlannedVm ToPlanned() => new(Spec.Group, Spec.Index, Spec.Zone, HostName, Ipv4.Format(Address!.Value),
            Vcpu, RamGb, DisksGb, Placement, [.. Edits], Current?.Id);
    }
}
