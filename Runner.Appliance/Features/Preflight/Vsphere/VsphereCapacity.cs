using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;
using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Integrations.Vsphere;

namespace Runner.Appliance.Features.Preflight.Vsphere;

/// <summary>
/// Records what the clusters (or the standalone host) and datastores offer, in the capacity tables the
/// recap reads, then judges the planned VMs against it with the recap's own policy
/// (<see cref="ArchitectureRecapService.Build"/>), so that the preflight and the recap never disagree.
/// </summary>
public sealed class VsphereCapacity(IDbContextFactory<ApplianceDb> dbFactory, SizingRules rules, TimeProvider clock)
{
    /// <param name="clusters">Cluster names to record ("" = the standalone host), with what the inventory says of each (null: not found).</param>
    public async Task<CheckOutcome> CheckAsync(string hypervisor, IReadOnlyList<VirtualMachineDto> vms,
        IReadOnlyDictionary<string, Compute?> clusters, IReadOnlyDictionary<string, VsphereDatastore?> datastores, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var clusterRows = clusters.Where(c => c.Value is not null)
            .Select(c => new ClusterCapacity { Hypervisor = hypervisor, Cluster = c.Key, PhysicalCores = c.Value!.Cores, RamGb = c.Value.RamGb, ObservedAt = now }).ToList();
        var datastoreRows = datastores.Where(d => d.Value is not null)
            .Select(d => new DatastoreCapacity { Hypervisor = hypervisor, Datastore = d.Key, FreeGb = d.Value!.FreeGb, ObservedAt = now }).ToList();
        await SaveAsync(hypervisor, clusterRows, datastoreRows, ct);

        var unknown = clusters.Where(c => c.Value is null).Select(c => $"cluster {c.Key}")
            .Concat(datastores.Where(d => d.Value is null).Select(d => $"datastore {d.Key}")).ToList();
        if (vms.Count == 0)
            return CheckOutcome.Passed($"No VMs are planned on {hypervisor} yet; recorded {Recorded(clusters, datastoreRows)} for the recap.");

        var problems = new List<(string Field, string Message)>();
        var fits = new List<string>();
        foreach (var cluster in vms.GroupBy(v => v.Cluster ?? ""))
        {
            var seen = clusterRows.FirstOrDefault(r => r.Cluster == cluster.Key);
            if (seen is null)
                continue;
            var compute = clusters[cluster.Key]!;
            foreach (var row in ArchitectureRecapService.Build([.. cluster], rules, [seen], [], null).Capacity.Where(c => c.Known))
            {
                var cpu = row.Resource.StartsWith("vCPU", StringComparison.Ordinal);
                var offer = cpu
                    ? $"{compute.Kind} {compute.Name} offers {seen.PhysicalCores} cores × {Number(rules.Capacity.VcpuPerCore)} = {row.Available} vCPU"
                    : $"{compute.Kind} {compute.Name} offers {seen.RamGb} GB RAM × {Number(rules.Capacity.RamRatio)} = {row.Available} GB";
                if (row.OverCommitted)
                    problems.Add(("cluster", $"{offer}; the architecture needs {row.Required} {(cpu ? "vCPU" : "GB")}."));
                else
                    fits.Add($"{compute.Name} {row.Required} of {row.Available} {(cpu ? "vCPU" : "GB RAM")}");
            }
        }
        foreach (var datastore in vms.Where(v => v.Datastore is not null).GroupBy(v => v.Datastore!))
        {
            if (datastoreRows.FirstOrDefault(r => r.Datastore == datastore.Key) is not { } seen)
                continue;
            foreach (var row in ArchitectureRecapService.Build([.. datastore], rules, [], [seen], null).Capacity.Where(c => c.Known))
            {
                if (row.OverCommitted)
                    problems.Add(("datastore", $"Datastore {datastore.Key} has {seen.FreeGb:N0} GB free × {Number(rules.Capacity.DatastoreHeadroom)} = {row.Available:N0} GB usable; the architecture needs {row.Required:N0} GB."));
                else
                    fits.Add($"{datastore.Key} {row.Required:N0} of {row.Available:N0} GB");
            }
        }
        var unknownNote = unknown.Count == 0 ? "" : $" Capacity unknown for {string.Join(", ", unknown)} (not found).";
        if (problems.Count > 0)
            return CheckOutcome.Failed(string.Join(" ", problems.Select(p => p.Message)) + unknownNote, problems[0].Field);
        return unknown.Count > 0
            ? CheckOutcome.Warn($"Fits where known: {string.Join("; ", fits)}.{unknownNote}")
            : CheckOutcome.Passed($"Enough capacity: {string.Join("; ", fits)}.");
    }

    private async Task SaveAsync(string hypervisor, List<ClusterCapacity> clusters, List<DatastoreCapacity> datastores, CancellationToken ct)
    {
        var key = hypervisor.ToLowerInvariant();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var storedClusters = await db.ClusterCapacities.Where(c => c.Hypervisor.ToLower() == key).ToListAsync(ct);
        foreach (var row in clusters)
        {
            if (storedClusters.FirstOrDefault(s => s.Cluster == row.Cluster) is { } stored)
                (stored.Hypervisor, stored.PhysicalCores, stored.RamGb, stored.ObservedAt) = (row.Hypervisor, row.PhysicalCores, row.RamGb, row.ObservedAt);
            else
                db.ClusterCapacities.Add(row);
        }
        var storedDatastores = await db.DatastoreCapacities.Where(d => d.Hypervisor.ToLower() == key).ToListAsync(ct);
        foreach (var row in datastores)
        {
            if (storedDatastores.FirstOrDefault(s => s.Datastore == row.Datastore) is { } stored)
                (stored.Hypervisor, stored.FreeGb, stored.ObservedAt) = (row.Hypervisor, row.FreeGb, row.ObservedAt);
            else
                db.DatastoreCapacities.Add(row);
        }
        await db.SaveChangesAsync(ct);
    }

    private static string Recorded(IReadOnlyDictionary<string, Compute?> clusters, List<DatastoreCapacity> datastores) =>
        string.Join(", ", clusters.Values.OfType<Compute>().Select(c => $"{c.Name} ({c.Cores} cores, {c.RamGb} GB RAM)")
            .Concat(datastores.Select(d => $"{d.Datastore} ({d.FreeGb:N0} GB free)")).DefaultIfEmpty("nothing"));

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>What one placement target offers: a cluster, or a standalone host (<see cref="Kind"/> "Host").</summary>
    public sealed record Compute(string Kind, string Name, int Cores, int RamGb);
}
