using Runner.Appliance.Features.Architecture;

namespace Runner.Appliance.Tests.Architecture;

public sealed class RecapTests : IAsyncLifetime
{
    private readonly ArchitectureBed _bed = new(users: 800);

    public async Task InitializeAsync() => await _bed.GenerateAsync();

    [Fact]
    public async Task Totals_AddUpByZoneAndByGroup()
    {
        var recap = await _bed.Recaps.RecapAsync();

        Assert.Equal(new ResourceTotals(35, 140, 464, 7780), recap.Total);
        Assert.Equal(["LAN_INFRA", "LAN_APPS", "DMZ"], recap.Zones.Select(z => z.Zone));
        Assert.Equal([13, 14, 8], recap.Zones.Select(z => z.Totals.Vms));
        Assert.Equal(recap.Total, new ResourceTotals(recap.Zones.Sum(z => z.Totals.Vms), recap.Zones.Sum(z => z.Totals.Vcpu), recap.Zones.Sum(z => z.Totals.RamGb), recap.Zones.Sum(z => z.Totals.DiskGb)));
        Assert.Equal(recap.Total.Vcpu, recap.Groups.Sum(g => g.Totals.Vcpu));
        Assert.Equal(new ResourceTotals(4, 32, 128, 1600), recap.Groups.Single(g => g.Group == "rke2-apps-agent").Totals);
        Assert.Equal(("M", "501–2,000"), (recap.Generation!.Tier, recap.Generation.TierRange));
    }

    [Fact]
    public async Task AHandEdit_ShowsInTheRecap()
    {
        await _bed.EditAsync("prod-bastion-01", v => v.Vcpu = 10);

        Assert.Equal(148, (await _bed.Recaps.RecapAsync()).Total.Vcpu);
    }

    [Fact]
    public async Task WithoutAPreflightInventory_CapacityIsUnknown()
    {
        var recap = await _bed.Recaps.RecapAsync();

        Assert.All(recap.Capacity, c => Assert.False(c.Known));
        Assert.Empty(recap.OverCommits);
        Assert.Contains(recap.Capacity, c => c is { Target: "vc / DC0_C0", Resource: "vCPU", Required: 140 });
    }

    [Fact]
    public async Task KnownCapacity_IsComparedWithTheNeeds_AndOverCommitIsFlagged()
    {
        var seen = DateTimeOffset.UtcNow;
        _bed.Change(db =>
        {
            db.ClusterCapacities.Add(new ClusterCapacity { Hypervisor = "vc", Cluster = "DC0_C0", PhysicalCores = 30, RamGb = 400, ObservedAt = seen });
            db.DatastoreCapacities.Add(new DatastoreCapacity { Hypervisor = "vc", Datastore = "LocalDS_0", FreeGb = 10_000, ObservedAt = seen });
        });

        var recap = await _bed.Recaps.RecapAsync();

        var cpu = recap.Capacity.Single(c => c.Resource == "vCPU");
        Assert.Equal((140L, 120L, true), (cpu.Required, cpu.Available!.Value, cpu.OverCommitted));
        var ram = recap.Capacity.Single(c => c.Resource == "RAM (GB)");
        Assert.Equal((464L, 400L, true), (ram.Required, ram.Available!.Value, ram.OverCommitted));
        var disk = recap.Capacity.Single(c => c.Resource == "Disk (GB)");
        Assert.Equal((7780L, 9000L, false), (disk.Required, disk.Available!.Value, disk.OverCommitted));
        Assert.Equal(["LAN_INFRA", "LAN_APPS", "DMZ"], cpu.Zones);
        Assert.Equal(2, recap.OverCommits.Count());
    }

    public Task DisposeAsync()
    {
        _bed.Dispose();
        return Task.CompletedTask;
    }
}
