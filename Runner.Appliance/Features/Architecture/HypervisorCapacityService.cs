using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;

namespace Runner.Appliance.Features.Architecture;

/// <summary>What one cluster (or, named "", a standalone host) offers, as read.</summary>
public sealed record ClusterReading(string Cluster, int PhysicalCores, int RamGb);

/// <summary>The free space of one datastore, as read.</summary>
public sealed record DatastoreReading(string Datastore, long FreeGb);

/// <summary>What the preflight read of one hypervisor's capacity at <see cref="ObservedAt"/>: the rows the recap compares the architecture with.</summary>
public sealed record CapacityReading(string Hypervisor, IReadOnlyList<ClusterReading> Clusters, IReadOnlyList<DatastoreReading> Datastores, DateTimeOffset ObservedAt)
{
    public IReadOnlyList<ClusterCapacity> ClusterRows() =>
        [.. Clusters.Select(c => new ClusterCapacity { Hypervisor = Hypervisor, Cluster = c.Cluster, PhysicalCores = c.PhysicalCores, RamGb = c.RamGb, ObservedAt = ObservedAt })];

    public IReadOnlyList<DatastoreCapacity> DatastoreRows() =>
        [.. Datastores.Select(d => new DatastoreCapacity { Hypervisor = Hypervisor, Datastore = d.Datastore, FreeGb = d.FreeGb, ObservedAt = ObservedAt })];
}

/// <summary>
/// Keeps the hypervisor capacity the preflight read, one row per cluster and datastore of a
/// hypervisor (updated in place), for the recap (<see cref="ArchitectureRecapService"/>).
/// </summary>
public sealed class HypervisorCapacityService(IDbContextFactory<ApplianceDb> dbFactory)
{
    public async Task RecordAsync(CapacityReading reading, CancellationToken ct = default)
    {
        var key = reading.Hypervisor.ToLowerInvariant();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var storedClusters = await db.ClusterCapacities.Where(c => c.Hypervisor.ToLower() == key).ToListAsync(ct);
        foreach (var row in reading.ClusterRows())
        {
            if (storedClusters.FirstOrDefault(s => s.Cluster == row.Cluster) is { } stored)
                (stored.Hypervisor, stored.PhysicalCores, stored.RamGb, stored.ObservedAt) = (row.Hypervisor, row.PhysicalCores, row.RamGb, row.ObservedAt);
            else
                db.ClusterCapacities.Add(row);
        }
        var storedDatastores = await db.DatastoreCapacities.Where(d => d.Hypervisor.ToLower() == key).ToListAsync(ct);
        foreach (var row in reading.DatastoreRows())
        {
            if (storedDatastores.FirstOrDefault(s => s.Datastore == row.Datastore) is { } stored)
                (stored.Hypervisor, stored.FreeGb, stored.ObservedAt) = (row.Hypervisor, row.FreeGb, row.ObservedAt);
            else
                db.DatastoreCapacities.Add(row);
        }
        await db.SaveChangesAsync(ct);
    }
}
