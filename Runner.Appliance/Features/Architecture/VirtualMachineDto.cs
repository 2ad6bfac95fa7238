namespace Runner.Appliance.Features.Architecture;

/// <summary>
/// A VM as the grid and the API show it. On update, only host name, IP address, size and
/// placement are read; group, zone and roles come from the sizing.
/// </summary>
public sealed class VirtualMachineDto
{
    public int Id { get; set; }

    public string? Group { get; set; }

    public int Index { get; set; }

    public string? Zone { get; set; }

    public string? HostName { get; set; }

    public string? IpAddress { get; set; }

    public int Vcpu { get; set; }

    public int RamGb { get; set; }

    public List<int>? DisksGb { get; set; }

    public string? Hypervisor { get; set; }

    public string? Cluster { get; set; }

    public string? Datastore { get; set; }

    public string? Network { get; set; }

    /// <summary>The Ansible roles that target the VM's group (read-only).</summary>
    public List<string> Roles { get; set; } = [];

    /// <summary>What was set by hand and is kept on regeneration (read-only).</summary>
    public List<string> EditedFields { get; set; } = [];

    public int Version { get; set; }

    public string? UpdatedBy { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    public int DiskTotalGb => DisksGb?.Sum() ?? 0;

    public static VirtualMachineDto From(VirtualMachine vm, SizingRules rules) => new()
    {
        Id = vm.Id,
        Group = vm.Group,
        Index = vm.Index,
        Zone = vm.Zone,
        HostName = vm.HostName,
        IpAddress = vm.IpAddress,
        Vcpu = vm.Vcpu,
        RamGb = vm.RamGb,
        DisksGb = [.. vm.DisksGb],
        Hypervisor = vm.Hypervisor,
        Cluster = vm.Cluster,
        Datastore = vm.Datastore,
        Network = vm.Network,
        Roles = [.. rules.Group(vm.Group)?.Roles ?? []],
        EditedFields = [.. vm.EditedFields],
        Version = vm.Version,
        UpdatedBy = vm.UpdatedBy,
        UpdatedAt = vm.UpdatedAt,
    };

    /// <summary>A copy the editor can change without touching the grid's row.</summary>
    public VirtualMachineDto Copy()
    {
        var copy = (VirtualMachineDto)MemberwiseClone();
        copy.DisksGb = DisksGb is null ? null : [.. DisksGb];
        copy.Roles = [.. Roles];
        copy.EditedFields = [.. EditedFields];
        return copy;
    }
}
