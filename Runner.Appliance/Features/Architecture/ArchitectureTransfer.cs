using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;
using Runner.Appliance.Features.Hypervisors;
using Runner.Appliance.Features.Zones;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Architecture;

/// <summary>One VM as the answer file carries it: its identity, what it is, and which parts were set by hand.</summary>
public sealed class VirtualMachineEntry
{
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

    public List<string> EditedFields { get; set; } = [];
}

/// <summary>
/// The architecture in and out of the answer file, so that hand edits travel with the
/// configuration. Import checks every VM against the document's own zones and hypervisors.
/// </summary>
public sealed class ArchitectureTransfer(IDbContextFactory<ApplianceDb> dbFactory, SizingFile sizing, TimeProvider clock)
{
    private static readonly string[] EditKinds = [VmEdits.Size, VmEdits.IpAddress, VmEdits.HostName, VmEdits.Placement];

    public async Task<List<VirtualMachineEntry>> ExportAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var vms = await db.VirtualMachines.AsNoTracking().ToListAsync(ct);
        return [.. vms.OrderBy(v => sizing.Rules.Groups.FindIndex(g => g.Id == v.Group)).ThenBy(v => v.Index).Select(v => new VirtualMachineEntry
        {
            Group = v.Group, Index = v.Index, Zone = v.Zone, HostName = v.HostName, IpAddress = v.IpAddress, Vcpu = v.Vcpu, RamGb = v.RamGb,
            DisksGb = [.. v.DisksGb], Hypervisor = v.Hypervisor, Cluster = v.Cluster, Datastore = v.Datastore, Network = v.Network,
            EditedFields = [.. v.EditedFields],
        })];
    }

    /// <summary>Problems of each VM, keyed "$.virtualMachines[i].field".</summary>
    public void Validate(IReadOnlyList<VirtualMachineEntry> vms, IReadOnlyList<ZoneDto> zones, IReadOnlyList<HypervisorDto> hypervisors, FieldErrors errors)
    {
        var rules = sizing.Rules;
        var hypervisorEntities = hypervisors.Select(h => new Hypervisor
        {
            Alias = h.Alias?.Trim() ?? "", Kind = h.Kind, Cluster = h.Cluster, Datastore = h.Datastore, Network = h.Network, StorageContainer = h.StorageContainer, Subnet = h.Subnet,
        }).ToList();
        var layouts = new Dictionary<string, ZoneLayout?>(StringComparer.Ordinal);
        foreach (var zone in zones)
        {
            var entity = new Zone();
            zone.ApplyTo(entity);
            layouts[entity.Name] = ZoneLayout.From(entity, hypervisorEntities);
        }
        var entities = vms.Select(ToEntity).ToList();
        var aliases = hypervisorEntities.Select(h => h.Alias).ToList();
        for (var i = 0; i < vms.Count; i++)
        {
            var path = $"$.virtualMachines[{i}]";
            var vm = vms[i];
            var group = rules.Group(vm.Group ?? "");
            if (group is null)
                errors.Add($"{path}.group", $"Group '{vm.Group}' is not a VM group of the sizing rules; expected one of {string.Join(", ", rules.Groups.Select(g => g.Id))}.");
            else if (vm.Zone != group.Zone)
                errors.Add($"{path}.zone", $"Zone '{vm.Zone}' is not where the sizing puts group {group.Id}; expected {group.Zone}.");
            if (vm.Index is < 1 || vm.Index > rules.Limits.CountPerGroup)
                errors.Add($"{path}.index", $"Index {vm.Index} is outside 1 to {rules.Limits.CountPerGroup}.");
            else if (vms.Take(i).Any(o => o.Group == vm.Group && o.Index == vm.Index))
                errors.Add($"{path}.index", $"{vm.Group} #{vm.Index} appears twice; each VM of a group needs its own index.");
            foreach (var unknown in vm.EditedFields.Except(EditKinds))
                errors.Add($"{path}.editedFields", $"'{unknown}' is not an editable part; expected {string.Join(", ", EditKinds)}.");
            var found = VirtualMachineValidator.Validate(ToDto(vm), [.. entities.Where((_, j) => j != i)],
                layouts.GetValueOrDefault(vm.Zone ?? ""), aliases, rules.Limits);
            foreach (var field in found.Fields)
                errors.Add($"{path}.{field}", found.For(field)!);
        }
    }

    /// <summary>Replaces the stored architecture inside <paramref name="db"/>'s transaction (validated answer-file import).</summary>
    public async Task ReplaceAllAsync(ApplianceDb db, IReadOnlyList<VirtualMachineEntry> vms, int users, IReadOnlyList<string> products, string actor, CancellationToken ct)
    {
        db.VirtualMachines.RemoveRange(await db.VirtualMachines.ToListAsync(ct));
        db.ArchitectureGenerations.RemoveRange(await db.ArchitectureGenerations.ToListAsync(ct));
        if (vms.Count == 0)
            return;
        var now = clock.GetUtcNow();
        foreach (var vm in vms)
        {
            var entity = ToEntity(vm);
            (entity.Version, entity.UpdatedBy, entity.UpdatedAt) = (1, actor, now);
            db.VirtualMachines.Add(entity);
        }
        db.ArchitectureGenerations.Add(new ArchitectureGeneration
        {
            Tier = sizing.Rules.TierFor(users)?.Id ?? "", ConcurrentUsers = users, Products = [.. products], SizingVersion = sizing.Rules.Version,
            GeneratedBy = actor, GeneratedAt = now,
        });
    }

    private static VirtualMachine ToEntity(VirtualMachineEntry vm) => new()
    {
        Group = vm.Group ?? "", Index = vm.Index, Zone = vm.Zone ?? "", HostName = vm.HostName?.Trim() ?? "", IpAddress = vm.IpAddress?.Trim() ?? "",
        Vcpu = vm.Vcpu, RamGb = vm.RamGb, DisksGb = [.. vm.DisksGb ?? []], Hypervisor = vm.Hypervisor?.Trim() ?? "",
        Cluster = vm.Cluster, Datastore = vm.Datastore, Network = vm.Network, EditedFields = [.. vm.EditedFields.Distinct()],
    };

    private static VirtualMachineDto ToDto(VirtualMachineEntry vm) => new()
    {
        Group = vm.Group, Index = vm.Index, Zone = vm.Zone, HostName = vm.HostName, IpAddress = vm.IpAddress, Vcpu = vm.Vcpu, RamGb = vm.RamGb,
        DisksGb = vm.DisksGb, Hypervisor = vm.Hypervisor, Cluster = vm.Cluster, Datastore = vm.Datastore, Network = vm.Network,
    };
}
