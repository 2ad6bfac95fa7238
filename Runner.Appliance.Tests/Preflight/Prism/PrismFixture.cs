using Runner.Appliance.Features.AnswerFile;
using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Features.Hypervisors;
using Runner.Appliance.Features.Preflight;
using Runner.Appliance.Features.Zones;
using Runner.Appliance.Tests.Peers;

namespace Runner.Appliance.Tests.Preflight.Prism;

/// <summary>
/// One fake Prism Central for the Prism tests, with an inventory larger than its page cap (20), the
/// configured names placed on the last page so that only a paging client finds them.
/// </summary>
public sealed class PrismFixture : IAsyncLifetime
{
    public FakePrismCentral Prism { get; } = new();

    public FakeEntity Ganon { get; } = FakeEntity.Named("ganon");

    public FakeEntity Bowser { get; } = FakeEntity.Named("bowser");

    public async Task InitializeAsync()
    {
        Prism.Clusters.AddRange([FakeEntity.Named("pc-central", isPrismCentral: true), Bowser, Ganon]);
        Prism.Subnets.AddRange(Enumerable.Range(0, 40).Select(i => FakeEntity.Named($"filler-{i:00}", Bowser)));
        Prism.Subnets.AddRange([FakeEntity.Named("backup-net", Bowser), FakeEntity.Named("vpc-overlay"), FakeEntity.Named("dmz", Ganon),
            FakeEntity.Named("mgmt", Ganon), FakeEntity.Named("prod-vlan", Ganon)]);
        Prism.Images.AddRange(Enumerable.Range(0, 25).Select(i => FakeEntity.Named($"tmpl-{i:00}")));
        Prism.Images.AddRange([FakeEntity.Named("ubuntu-24.04"), FakeEntity.Named("rocky-9.4")]);
        Prism.Containers.AddRange(Enumerable.Range(0, 22).Select(i => FakeContainer.Named($"bowser-ctr-{i:00}", Bowser)));
        Prism.Containers.AddRange([FakeContainer.Named("bulk", Bowser), FakeContainer.Named("default-container-1", Ganon),
            FakeContainer.Named("SelfServiceContainer", Ganon, freeBytes: 3L << 39, capacityBytes: 4L << 40)]);
        await Prism.InitializeAsync();
    }

    public Task DisposeAsync() => Prism.DisposeAsync();

    /// <summary>A configuration that matches the inventory: every check passes.</summary>
    public HypervisorDto Hypervisor() => new()
    {
        Id = 7, Kind = HypervisorKind.Nutanix, Alias = "ntnx", Host = "127.0.0.1", Port = Prism.Port, Username = FakePrismCentral.User,
        CertificatePolicy = CertificatePolicy.TrustThumbprint, Thumbprint = Prism.Thumbprint,
        Cluster = "ganon", Subnet = "prod-vlan", StorageContainer = "SelfServiceContainer", Image = "rocky-9.4",
    };

    public static ZoneDto Zone(string name, string network, string? cluster = null) =>
        new() { Id = 3, Name = name, Hypervisor = "ntnx", Network = network, Cluster = cluster };

    public static PreflightInputs Inputs(HypervisorDto hypervisor, string? password = FakePrismCentral.Password,
        IEnumerable<ZoneDto>? zones = null, IEnumerable<VirtualMachineDto>? vms = null)
    {
        var document = new AnswerFileDocument { Hypervisors = [hypervisor], Zones = [.. zones ?? []] };
        var secrets = password is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["hypervisors[0].password"] = password };
        return new PreflightInputs(document, secrets, [.. vms ?? []], false, "test");
    }
}
