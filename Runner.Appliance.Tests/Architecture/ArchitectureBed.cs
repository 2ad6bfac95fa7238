using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Features.Audit;
using Runner.Appliance.Features.Configuration;
using Runner.Appliance.Features.Hypervisors;
using Runner.Appliance.Features.Zones;
using Runner.Appliance.Tests.Infrastructure;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Tests.Architecture;

/// <summary>
/// A migrated store with a saved configuration (settings, one vCenter, three zones) and the real
/// architecture service over it. Zones get /24 subnets with the range .10–.99 unless told otherwise.
/// </summary>
public sealed class ArchitectureBed : IDisposable
{
    public ArchitectureBed(int users = 800, string[]? products = null)
    {
        Seed(Store, users, products);
        var audit = new AuditLog(Store, TimeProvider.System);
        Service = new ArchitectureService(Store, new SizingFile(Rules), audit, Events, TimeProvider.System);
        Recaps = new ArchitectureRecapService(Store, Service);
        Exporter = new InventoryExporter(Store, Service);
    }

    /// <summary>Saves settings, one vCenter "vc" and the three zones into <paramref name="store"/>.</summary>
    public static void Seed(TestStore store, int users = 800, string[]? products = null)
    {
        using var db = store.CreateDbContext();
        db.GeneralSettings.Add(new GeneralSettings { EnvironmentPrefix = "prod", BaseDomain = "example.local", ConcurrentUsers = users, Products = [.. products ?? ["EServices", "GCO"]], Version = 1 });
        db.Hypervisors.Add(new Hypervisor
        {
            Kind = HypervisorKind.VCenter, Alias = "vc", Host = "vcenter.example.local", Port = 443, Username = "administrator@vsphere.local",
            Datacenter = "DC0", Cluster = "DC0_C0", Datastore = "LocalDS_0", Network = "VM Network", Version = 1,
        });
        db.Zones.AddRange(Zone("LAN_INFRA", 10, "10.1.10"), Zone("LAN_APPS", 100, "10.1.100"), Zone("DMZ", 200, "10.1.200"));
        db.SaveChanges();
    }

    public static SizingRules Rules { get; } = SizingFile.LoadEmbedded();

    public TestStore Store { get; } = new();

    public ArchitectureEvents Events { get; } = new(Microsoft.Extensions.Logging.Abstractions.NullLogger<ArchitectureEvents>.Instance);

    public ArchitectureService Service { get; }

    public ArchitectureRecapService Recaps { get; }

    public InventoryExporter Exporter { get; }

    public static Zone Zone(string name, int vlan, string prefix, string start = ".10", string end = ".99") => new()
    {
        Name = name, VlanId = vlan, Subnet = $"{prefix}.0/24", Gateway = $"{prefix}.1", DnsServers = ["10.1.0.10"], NtpServers = ["10.1.0.20"],
        RangeStart = prefix + start, RangeEnd = prefix + end, Hypervisor = "vc", Version = 1,
    };

    public void Change(Action<Runner.Appliance.Data.ApplianceDb> change)
    {
        using var db = Store.CreateDbContext();
        change(db);
        db.SaveChanges();
    }

    public void SetUsers(int users) => Change(db => db.GeneralSettings.Single().ConcurrentUsers = users);

    public void SetRange(string zone, string start, string end) => Change(db =>
    {
        var row = db.Zones.Single(z => z.Name == zone);
        row.RangeStart = start;
        row.RangeEnd = end;
    });

    public async Task<ArchitecturePlan> GenerateAsync(bool reset = false)
    {
        var (outcome, plan) = await Service.GenerateAsync(reset, null, "olga");
        Assert.True(outcome.Succeeded, string.Join(" ", outcome.Errors.Fields.Select(f => outcome.Errors.For(f))) + outcome.Message);
        return plan;
    }

    public async Task<VirtualMachineDto> VmAsync(string hostName) =>
        (await Service.ListAsync()).Single(v => v.HostName == hostName);

    /// <summary>Edits one VM through the service, as the grid does; returns the outcome.</summary>
    public async Task<Outcome> EditAsync(string hostName, Action<VirtualMachineDto> edit)
    {
        var vm = await VmAsync(hostName);
        edit(vm);
        return await Service.UpdateAsync(vm.Id, vm, "olga");
    }

    public int StoredVmCount()
    {
        using var db = Store.CreateDbContext();
        return db.VirtualMachines.Count();
    }

    public void Dispose() => Store.Dispose();
}
