using Runner.Appliance.Data;

namespace Runner.Appliance.Features.Architecture;

/// <summary>Writes a plan onto the stored VMs (inside the caller's transaction).</summary>
internal static class ArchitectureWriter
{
    /// <summary>
    /// Host names and addresses are unique in the store and SQLite checks that per statement, so
    /// VMs that swap names or addresses first take a placeholder, then their final value.
    /// </summary>
    public static async Task ApplyAsync(ApplianceDb db, ArchitecturePlan plan, IReadOnlyList<VirtualMachine> existing,
        string actor, DateTimeOffset now, CancellationToken ct)
    {
        var byId = existing.ToDictionary(v => v.Id);
        db.VirtualMachines.RemoveRange(plan.RemovedIds.Select(id => byId[id]));
        foreach (var planned in plan.Vms.Where(p => p.ExistingId is not null))
        {
            var vm = byId[planned.ExistingId!.Value];
            if (vm.HostName != planned.HostName || vm.IpAddress != planned.IpAddress)
                (vm.HostName, vm.IpAddress) = ($"~moving-{vm.Id}", $"~{vm.Id}");
        }
        await db.SaveChangesAsync(ct);

        foreach (var planned in plan.Vms)
        {
            var vm = planned.ExistingId is { } id ? byId[id] : new VirtualMachine { Group = planned.Group, Index = planned.Index };
            var changed = planned.ExistingId is null || !Same(vm, planned);
            vm.Zone = planned.Zone;
            vm.HostName = planned.HostName;
            vm.IpAddress = planned.IpAddress;
            vm.Vcpu = planned.Vcpu;
            vm.RamGb = planned.RamGb;
            vm.DisksGb = [.. planned.DisksGb];
            vm.Hypervisor = planned.Placement.Hypervisor;
            vm.Cluster = planned.Placement.Cluster;
            vm.Datastore = planned.Placement.Datastore;
            vm.Network = planned.Placement.Network;
            vm.EditedFields = [.. planned.EditedFields];
            if (!changed)
                continue;
            vm.Version++;
            vm.UpdatedBy = actor;
            vm.UpdatedAt = now;
            if (planned.ExistingId is null)
                db.VirtualMachines.Add(vm);
        }
    }

    private static bool Same(VirtualMachine vm, PlannedVm planned) =>
        vm.HostName.StartsWith("~moving-", StringComparison.Ordinal) is false
        && vm.Zone == planned.Zone && vm.Vcpu == planned.Vcpu && vm.RamGb == planned.RamGb
        && vm.DisksGb.SequenceEqual(planned.DisksGb)
        && new VmPlacement(vm.Hypervisor, vm.Cluster, vm.Datastore, vm.Network) == planned.Placement
        && vm.EditedFields.SequenceEqual(planned.EditedFields);
}
