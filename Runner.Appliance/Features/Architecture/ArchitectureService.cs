using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;
using Runner.Appliance.Features.Audit;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Architecture;

/// <summary>When and from what the stored architecture was generated.</summary>
public sealed record GenerationInfo(string Tier, string TierRange, int ConcurrentUsers, IReadOnlyList<string> Products, string GeneratedBy, DateTimeOffset GeneratedAt);

/// <summary>An open problem of the architecture for the Review step; <see cref="VmId"/> names the VM at fault.</summary>
public sealed record ArchitectureProblem(string Item, int? VmId, string Field, string Message);

/// <summary>
/// The VM architecture: plans and applies a generation from the sizing rules and the
/// configuration, lists the VMs and saves hand edits. Pages and the API both come here.
/// </summary>
public sealed class ArchitectureService(IDbContextFactory<ApplianceDb> dbFactory, SizingFile sizing, AuditLog audit,
    ArchitectureEvents events, TimeProvider clock)
{
    /// <summary>News that the architecture changed (a generation or a hand edit), until disposed: pages reload on it.</summary>
    public IDisposable Subscribe(Action<ArchitectureChanged> handler) => events.Subscribe(handler);

    /// <summary>What the typed number of users means for the architecture: its tier, in words; null for none.</summary>
    public string? TierSummary(int concurrentUsers) => concurrentUsers > 0 && Rules.TierFor(concurrentUsers) is { } tier
        ? $"Sizes the VM architecture: tier {tier.Id} ({tier.Name}, {Rules.RangeOf(tier)} users)" : null;

    public SizingRules Rules => sizing.Rules;

    public async Task<IReadOnlyList<VirtualMachineDto>> ListAsync(string? group = null, string? zone = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.VirtualMachines.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(group))
            query = query.Where(v => v.Group == group);
        if (!string.IsNullOrWhiteSpace(zone))
            query = query.Where(v => v.Zone == zone);
        return Ordered(await query.ToListAsync(ct)).Select(v => VirtualMachineDto.From(v, Rules)).ToList();
    }

    public async Task<VirtualMachineDto?> GetAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var vm = await db.VirtualMachines.AsNoTracking().SingleOrDefaultAsync(v => v.Id == id, ct);
        return vm is null ? null : VirtualMachineDto.From(vm, Rules);
    }

    public async Task<GenerationInfo?> GenerationAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.ArchitectureGenerations.AsNoTracking().SingleOrDefaultAsync(ct);
        if (row is null)
            return null;
        var tier = Rules.Tiers.FirstOrDefault(t => t.Id == row.Tier);
        return new GenerationInfo(row.Tier, tier is null ? "" : Rules.RangeOf(tier), row.ConcurrentUsers, row.Products, row.GeneratedBy, row.GeneratedAt);
    }

    /// <summary>Each zone's reserved range as text, for help under an address field.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ZoneRangesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var inputs = await ArchitectureInputs.LoadAsync(db, Rules, ct);
        return inputs.Zones.Where(z => z.Value is not null).ToDictionary(z => z.Key, z => z.Value!.Range);
    }

    /// <summary>What a generation would do now, without doing it.</summary>
    public async Task<ArchitecturePlan> PreviewAsync(bool reset = false, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var inputs = await ArchitectureInputs.LoadAsync(db, Rules, ct);
        return inputs.Plan(await db.VirtualMachines.AsNoTracking().ToListAsync(ct), reset);
    }

    /// <summary>
    /// Generates (or regenerates) the architecture in one transaction. With
    /// <paramref name="expectedFingerprint"/>, refuses when the outcome is no longer the one previewed.
    /// </summary>
    public async Task<(Outcome Outcome, ArchitecturePlan Plan)> GenerateAsync(bool reset, string? expectedFingerprint, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var inputs = await ArchitectureInputs.LoadAsync(db, Rules, ct);
        var existing = await db.VirtualMachines.ToListAsync(ct);
        var plan = inputs.Plan(existing, reset);
        if (!plan.CanApply)
            return (Outcome.Invalid(plan.Problems), plan);
        if (expectedFingerprint is not null && expectedFingerprint != plan.Fingerprint)
            return (Outcome.Conflict("The configuration or the architecture changed since these changes were previewed; review them again before applying."), plan);

        await ArchitectureWriter.ApplyAsync(db, plan, existing, actor, clock.GetUtcNow(), ct);
        var row = await db.ArchitectureGenerations.SingleOrDefaultAsync(ct);
        if (row is null)
            db.ArchitectureGenerations.Add(row = new ArchitectureGeneration());
        row.Tier = plan.Tier!.Id;
        row.ConcurrentUsers = inputs.Settings!.ConcurrentUsers;
        row.Products = [.. inputs.Settings.Products];
        row.SizingVersion = Rules.Version;
        row.GeneratedBy = actor;
        row.GeneratedAt = clock.GetUtcNow();
        audit.Append(db, actor, "architecture", $"tier {row.Tier}, {plan.Vms.Count} VMs", reset ? "regenerated (edits reset)" : "generated", [plan.Summary]);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        events.Raise();
        return (Outcome.Ok, plan);
    }

    /// <summary>
    /// Saves a hand edit of one VM. A part that differs from what the sizing generates is marked
    /// as edited and kept by later generations; set back to the generated value, it is not.
    /// </summary>
    public async Task<Outcome> UpdateAsync(int id, VirtualMachineDto input, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var vm = await db.VirtualMachines.SingleOrDefaultAsync(v => v.Id == id, ct);
        if (vm is null)
            return Outcome.NotFound($"There is no VM with id {id}; regenerate the architecture if it was removed.");
        if (vm.Version != input.Version)
            return Outcome.Conflict($"The VM {vm.HostName} was changed by {vm.UpdatedBy ?? "another user"} at {vm.UpdatedAt:yyyy-MM-dd HH:mm} UTC; reload to see their version before saving.");
        var inputs = await ArchitectureInputs.LoadAsync(db, Rules, ct);
        var others = await db.VirtualMachines.AsNoTracking().Where(v => v.Id != id).ToListAsync(ct);
        input.Zone = vm.Zone;
        var errors = TextRules.Check(input, VirtualMachineValidator.Validate(input, others, inputs.Zones.GetValueOrDefault(vm.Zone), inputs.HypervisorAliases, Rules.Limits));
        if (!errors.IsEmpty)
            return Outcome.Invalid(errors);

        var before = VirtualMachineDto.From(vm, Rules);
        var ipChanged = vm.IpAddress != input.IpAddress!.Trim();
        vm.HostName = input.HostName!.Trim().ToLowerInvariant();
        vm.IpAddress = input.IpAddress.Trim();
        vm.Vcpu = input.Vcpu;
        vm.RamGb = input.RamGb;
        vm.DisksGb = [.. input.DisksGb!];
        vm.Hypervisor = input.Hypervisor!.Trim();
        vm.Cluster = input.Cluster.TrimmedOrNull();
        vm.Datastore = input.Datastore.TrimmedOrNull();
        vm.Network = input.Network.TrimmedOrNull();
        vm.EditedFields = inputs.EditsAgainstGenerated(vm, ipChanged);
        vm.Version++;
        vm.UpdatedBy = actor;
        vm.UpdatedAt = clock.GetUtcNow();
        audit.Append(db, actor, "virtual machine", vm.HostName, "updated", AuditLog.ChangedFields(before, VirtualMachineDto.From(vm, Rules)));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return Outcome.Conflict($"The VM {before.HostName} was changed by another user while you edited it; reload to see their version before saving.");
        }
        events.Raise();
        return Outcome.Ok;
    }

    /// <summary>Problems of the stored architecture for the Review step: not generated, out of date, or VMs that break a rule.</summary>
    public async Task<IReadOnlyList<ArchitectureProblem>> ReviewAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var vms = await db.VirtualMachines.AsNoTracking().ToListAsync(ct);
        if (vms.Count == 0)
            return [new("Architecture", null, "", "The VM architecture is not generated yet: generate it in the Architecture step.")];
        var inputs = await ArchitectureInputs.LoadAsync(db, Rules, ct);
        var plan = inputs.Plan(vms, reset: false);
        var problems = new List<ArchitectureProblem>();
        foreach (var field in plan.Problems.Fields)
            problems.Add(new("Architecture", null, field, plan.Problems.For(field)!));
        if (plan.CanApply && plan.ChangeCount > 0)
            problems.Add(new("Architecture", null, "", $"The configuration changed since the architecture was generated ({plan.Summary}); review and apply the changes in the Architecture step."));
        foreach (var vm in vms)
        {
            var errors = VirtualMachineValidator.Validate(VirtualMachineDto.From(vm, Rules), [.. vms.Where(o => o.Id != vm.Id)],
                inputs.Zones.GetValueOrDefault(vm.Zone), inputs.HypervisorAliases, Rules.Limits);
            foreach (var field in errors.Fields)
                problems.Add(new(vm.HostName, vm.Id, field, errors.For(field)!));
        }
        return problems;
    }

    /// <summary>VMs in the sizing file's group order, then by index.</summary>
    internal IEnumerable<VirtualMachine> Ordered(IEnumerable<VirtualMachine> vms) =>
        vms.OrderBy(v => Rules.Groups.FindIndex(g => g.Id == v.Group) is var i and >= 0 ? i : int.MaxValue).ThenBy(v => v.Group, StringComparer.Ordinal).ThenBy(v => v.Index);
}
