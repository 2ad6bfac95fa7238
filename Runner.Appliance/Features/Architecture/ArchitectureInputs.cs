using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;
using Runner.Appliance.Features.Configuration;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Architecture;

/// <summary>What a generation is computed from: the general settings, the zones and the hypervisors, read once.</summary>
internal sealed class ArchitectureInputs
{
    private ArchitectureInputs(SizingRules rules, GeneralSettings? settings, IReadOnlyDictionary<string, ZoneLayout?> zones, IReadOnlyCollection<string> hypervisors)
    {
        Rules = rules;
        Settings = settings;
        Zones = zones;
        HypervisorAliases = hypervisors;
    }

    public SizingRules Rules { get; }

    public GeneralSettings? Settings { get; }

    public IReadOnlyDictionary<string, ZoneLayout?> Zones { get; }

    public IReadOnlyCollection<string> HypervisorAliases { get; }

    public static async Task<ArchitectureInputs> LoadAsync(ApplianceDb db, SizingRules rules, CancellationToken ct)
    {
        var settings = await db.GeneralSettings.AsNoTracking().SingleOrDefaultAsync(ct);
        var hypervisors = await db.Hypervisors.AsNoTracking().ToListAsync(ct);
        var zones = await db.Zones.AsNoTracking().ToListAsync(ct);
        return new ArchitectureInputs(rules, settings,
            zones.ToDictionary(z => z.Name, z => ZoneLayout.From(z, hypervisors), StringComparer.Ordinal),
            [.. hypervisors.Select(h => h.Alias)]);
    }

    /// <summary>The sizing for the saved products and users, or null (with the reason) when they are not saved or valid.</summary>
    public SizingResult? Size(out string? problem)
    {
        problem = null;
        if (Settings is null)
            problem = "Save the Products and sizing step first: the architecture is sized from its products and number of users.";
        else if (Settings.Products.Count == 0 || Rules.TierFor(Settings.ConcurrentUsers) is null || Settings.ConcurrentUsers < 1)
            problem = "The Products and sizing step has no product or an invalid number of users; fix it first.";
        return problem is null ? Sizing.Size(Rules, Settings!.ConcurrentUsers, Settings.Products) : null;
    }

    public ArchitecturePlan Plan(IReadOnlyList<VirtualMachine> existing, bool reset)
    {
        var sizing = Size(out var problem);
        if (sizing is null)
            return new ArchitecturePlan(null, [], [], [], FieldErrors.Single("products", problem!));
        return ArchitecturePlanner.Plan(Rules, sizing, Settings!.EnvironmentPrefix, Zones, existing, reset);
    }

    /// <summary>
    /// Which parts of <paramref name="vm"/> differ from what the sizing generates for it. The
    /// address has no single generated value: it counts as edited once changed by hand.
    /// </summary>
    public List<string> EditsAgainstGenerated(VirtualMachine vm, bool ipChanged)
    {
        var edits = new List<string>();
        var spec = Size(out _)?.Vms.FirstOrDefault(s => s.Group == vm.Group && s.Index == vm.Index);
        var zone = Zones.GetValueOrDefault(vm.Zone);
        if (spec is null || vm.Vcpu != spec.Vcpu || vm.RamGb != spec.RamGb || !vm.DisksGb.SequenceEqual(spec.DisksGb))
            edits.Add(VmEdits.Size);
        if (ipChanged || vm.IsEdited(VmEdits.IpAddress))
            edits.Add(VmEdits.IpAddress);
        if (Settings is null || vm.HostName != Sizing.HostName(Rules, Settings.EnvironmentPrefix, vm.Group, vm.Index))
            edits.Add(VmEdits.HostName);
        if (zone is null || new VmPlacement(vm.Hypervisor, vm.Cluster, vm.Datastore, vm.Network) != zone.Placement)
            edits.Add(VmEdits.Placement);
        return edits;
    }
}
