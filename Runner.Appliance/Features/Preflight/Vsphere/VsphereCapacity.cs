using System.Globalization;
using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Integrations.Vsphere;

namespace Runner.Appliance.Features.Preflight.Vsphere;

/// <summary>
/// Judges the planned VMs against what the clusters (or the standalone host) and datastores offer, with
/// the recap's own policy (<see cref="ArchitectureRecapService.Build"/>), so that the preflight and the
/// recap never disagree. What it read is its <see cref="CapacityReading"/>: the runner hands it to the
/// architecture feature, which stores it for the recap.
/// </summary>
public sealed class VsphereCapacity(SizingRules rules, TimeProvider clock)
{
    /// <param name="clusters">Cluster names to read ("" = the standalone host), with what the inventory says of each (null: not found).</param>
    public (CheckOutcome Outcome, CapacityReading Reading) Check(string hypervisor, IReadOnlyList<VirtualMachineDto> vms,
        IReadOnlyDictionary<string, Compute?> clusters, IReadOnlyDictionary<string, VsphereDatastore?> datastores)
    {
        var reading = new CapacityReading(hypervisor,
            [.. clusters.Where(c => c.Value is not null).Select(c => new ClusterReading(c.Key, c.Value!.Cores, c.Value.RamGb))],
            [.. datastores.Where(d => d.Value is not null).Select(d => new DatastoreReading(d.Key, d.Value!.FreeGb))],
            clock.GetUtcNow());
        return (Judge(reading, vms, clusters, datastores), reading);
    }

    private CheckOutcome Judge(CapacityReading reading, IReadOnlyList<VirtualMachineDto> vms,
        IReadOnlyDictionary<string, Compute?> clusters, IReadOnlyDictionary<string, VsphereDatastore?> datastores)
    {
        var (clusterRows, datastoreRows) = (reading.ClusterRows(), reading.DatastoreRows());
        var unknown = clusters.Where(c => c.Value is null).Select(c => $"cluster {c.Key}")
            .Concat(datastores.Where(d => d.Value is null).Select(d => $"datastore {d.Key}")).ToList();
        if (vms.Count == 0)
            return CheckOutcome.Passed($"No VMs are planned on {reading.Hypervisor} yet; recorded {Recorded(clusters, datastoreRows)} for the recap.");

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

    private static string Recorded(IReadOnlyDictionary<string, Compute?> clusters, IReadOnlyList<DatastoreCapacity> datastores) =>
        string.Join(", ", clusters.Values.OfType<Compute>().Select(c => $"{c.Name} ({c.Cores} cores, {c.RamGb} GB RAM)")
            .Concat(datastores.Select(d => $"{d.Datastore} ({d.FreeGb:N0} GB free)")).DefaultIfEmpty("nothing"));

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>What one placement target offers: a cluster, or a standalone host (<see cref="Kind"/> "Host").</summary>
    public sealed record Compute(string Kind, string Name, int Cores, int RamGb);
}
