using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Architecture;

/// <summary>
/// Rules of a hand-edited VM: a host name of its own, an address of its zone's reserved range
/// that no other VM has, a size inside the sizing limits, a placement on a known hypervisor.
/// </summary>
public static class VirtualMachineValidator
{
    public static FieldErrors Validate(VirtualMachineDto vm, IReadOnlyList<VirtualMachine> others, ZoneLayout? zone,
        IReadOnlyCollection<string> hypervisors, SizingLimits limits)
    {
        var errors = new FieldErrors();
        CheckHostName(errors, vm.HostName?.Trim(), others);
        CheckAddress(errors, vm, others, zone);
        if (!limits.Vcpu.Contains(vm.Vcpu))
            errors.Add("vcpu", $"{vm.Vcpu} vCPU is outside the limits; expected {limits.Vcpu} vCPU.");
        if (!limits.RamGb.Contains(vm.RamGb))
            errors.Add("ramGb", $"{vm.RamGb} GB of RAM is outside the limits; expected {limits.RamGb} GB.");
        var disks = vm.DisksGb ?? [];
        if (!limits.Disks.Contains(disks.Count))
            errors.Add("disksGb", $"{disks.Count} disks is outside the limits; expected {limits.Disks} disks (the first is the system disk).");
        foreach (var (disk, i) in disks.Select((d, i) => (d, i)).Where(d => !limits.DiskGb.Contains(d.d)))
            errors.Add("disksGb", $"Disk {i + 1} of {disk} GB is outside the limits; expected {limits.DiskGb} GB per disk.");
        CheckPlacement(errors, vm, hypervisors);
        return errors;
    }

    private static void CheckHostName(FieldErrors errors, string? name, IReadOnlyList<VirtualMachine> others)
    {
        if (string.IsNullOrEmpty(name))
            errors.Add("hostName", "Host name is required, e.g. prod-vault-01.");
        else if (!NetworkRules.IsHostLabel(name) || name.Any(char.IsAsciiLetterUpper) || name.All(char.IsAsciiDigit))
            errors.Add("hostName", $"Host name '{name}' is not valid; expected 1 to 63 lowercase letters, digits or hyphens, not starting or ending with a hyphen (e.g. prod-vault-01).");
        else if (others.FirstOrDefault(o => string.Equals(o.HostName, name, StringComparison.OrdinalIgnoreCase)) is { } clash)
            errors.Add("hostName", $"Host name {name} is already used by the VM {clash.Group} #{clash.Index} ({clash.IpAddress}); each VM needs its own name.");
    }

    private static void CheckAddress(FieldErrors errors, VirtualMachineDto vm, IReadOnlyList<VirtualMachine> others, ZoneLayout? zone)
    {
        var text = vm.IpAddress?.Trim();
        if (string.IsNullOrEmpty(text))
            errors.Add("ipAddress", zone is null ? "IP address is required." : $"IP address is required: a free address of zone {zone.Name}'s reserved range {zone.Range}.");
        else if (!Ipv4.TryParse(text, out var address))
            errors.Add("ipAddress", $"IP address '{text}' is not an IPv4 address (four numbers from 0 to 255, e.g. 10.1.100.21).");
        else if (zone is null)
            errors.Add("ipAddress", $"Zone {vm.Zone} no longer exists or has no valid range; fix the zone, then regenerate the architecture.");
        else if (zone.Refuses(address) is { } refusal)
            errors.Add("ipAddress", $"IP address {text} {refusal}; expected a free address of {zone.Range}.");
        else if (others.FirstOrDefault(o => o.IpAddress == text) is { } clash)
            errors.Add("ipAddress", $"IP address {text} is already used by {clash.HostName}; each VM needs its own address.");
    }

    private static void CheckPlacement(FieldErrors errors, VirtualMachineDto vm, IReadOnlyCollection<string> hypervisors)
    {
        var hypervisor = vm.Hypervisor?.Trim();
        if (string.IsNullOrEmpty(hypervisor))
            errors.Add("hypervisor", $"Hypervisor is required: the alias of the hypervisor the VM is created on ({Known(hypervisors)}).");
        else if (!hypervisors.Contains(hypervisor, StringComparer.OrdinalIgnoreCase))
            errors.Add("hypervisor", $"Hypervisor '{hypervisor}' does not exist; known hypervisors: {Known(hypervisors)}.");
        foreach (var (field, label, value) in new[] { ("cluster", "Cluster", vm.Cluster), ("datastore", "Datastore", vm.Datastore), ("network", "Network", vm.Network) })
            if (value is { Length: > 80 })
                errors.Add(field, $"{label} name is {value.Length} characters long; expected at most 80.");
    }

    private static string Known(IReadOnlyCollection<string> names) =>
        names.Count == 0 ? "none yet: add one in the Hypervisors step" : string.Join(", ", names);
}
