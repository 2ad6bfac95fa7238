using System.Diagnostics;
using Microsoft.Extensions.Options;
using Runner.Appliance.Features.AnswerFile;
using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Features.Hypervisors;
using Runner.Appliance.Features.Preflight;
using Runner.Appliance.Features.Preflight.Vsphere;
using Runner.Appliance.Features.Zones;
using Runner.Appliance.Tests.Architecture;
using Runner.Appliance.Tests.Infrastructure;
using Runner.Appliance.Tests.Peers;

namespace Runner.Appliance.Tests.Preflight.Vsphere;

/// <summary>
/// A configuration whose vCenter "vc" points at a vcsim with exactly vcsim's names, a store for the
/// capacity rows, and a run of the vSphere group as the preflight runner does it (bounded by its timeout,
/// then the capacity it read handed to the architecture feature).
/// </summary>
public sealed class VsphereBed(Vcsim sim) : IDisposable
{
    public TestStore Store { get; } = new();

    public HypervisorDto Hypervisor { get; } = new()
    {
        Id = 3, Kind = HypervisorKind.VCenter, Alias = "vc", Host = sim.Host, Port = sim.Port, Username = Vcsim.User,
        CertificatePolicy = CertificatePolicy.AcceptAny, Datacenter = "DC0", Cluster = "DC0_C0", Datastore = "LocalDS_0",
        Network = "VM Network", ResourcePool = "Resources", Folder = "/DC0/vm", Template = "[LocalDS_0] iso/ubuntu-24.04.iso",
    };

    public List<ZoneDto> Zones { get; } = [];

    public List<VirtualMachineDto> Vms { get; } = [];

    public string? Password { get; set; } = Vcsim.Password;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the last run took.</summary>
    public TimeSpan Elapsed { get; private set; }

    /// <summary>Adds <paramref name="count"/> VMs of the given size on this hypervisor / DC0_C0 / LocalDS_0 (or the given placement).</summary>
    public void Plan(int count, int vcpu, int ramGb, int diskGb, string? cluster = "DC0_C0", string? datastore = "LocalDS_0", string zone = "LAN_APPS")
    {
        for (var i = 0; i < count; i++)
            Vms.Add(new VirtualMachineDto
            {
                Id = Vms.Count + 1, Group = "app", Index = i + 1, Zone = zone, HostName = $"prod-app-{Vms.Count + 1:00}", Vcpu = vcpu, RamGb = ramGb,
                DisksGb = [diskGb], Hypervisor = Hypervisor.Alias, Cluster = cluster, Datastore = datastore, Network = "VM Network",
            });
    }

    public VsphereCheckGroup Group()
    {
        var document = new AnswerFileDocument { Hypervisors = [Hypervisor], Zones = Zones };
        var secrets = Password is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["hypervisors[0].password"] = Password };
        var inputs = new PreflightInputs(document, secrets, Vms, Provisioned: false, Fingerprint: "test");
        var source = new VsphereChecks(new SizingFile(ArchitectureBed.Rules), Options.Create(new PreflightOptions { CheckTimeout = Timeout }), TimeProvider.System);
        return (VsphereCheckGroup)Assert.Single(source.Groups(inputs));
    }

    /// <summary>
    /// Runs the group and returns each check's outcome by id. <paramref name="runnerBound"/> false runs it
    /// without the runner's token, to show that the group ends by itself within its timeout.
    /// </summary>
    public async Task<Results> RunAsync(bool runnerBound = true)
    {
        var group = Group();
        var results = new Results(group);
        using var bound = new CancellationTokenSource(group.Timeout);
        var clock = Stopwatch.StartNew();
        try
        {
            await group.RunAsync(new CheckReport((check, outcome) => results.Add(check, outcome)), runnerBound ? bound.Token : CancellationToken.None);
        }
        finally
        {
            Elapsed = clock.Elapsed;
        }
        if (group.Reading is { } reading)
            await new HypervisorCapacityService(Store).RecordAsync(reading);
        return results;
    }

    public void Dispose() => Store.Dispose();

    public sealed class Results(VsphereCheckGroup group)
    {
        private readonly Dictionary<string, (CheckDefinition Check, CheckOutcome Outcome)> _byId = [];

        public VsphereCheckGroup Group => group;

        public IReadOnlyCollection<(CheckDefinition Check, CheckOutcome Outcome)> All => _byId.Values;

        public CheckOutcome this[string id] => _byId.TryGetValue(id, out var result) ? result.Outcome : throw new KeyNotFoundException($"{id} was not reported; reported: {string.Join(", ", _byId.Keys)}");

        /// <summary>The field the technician is sent to: the outcome's, else the check's own.</summary>
        public string? FieldOf(string id) => _byId[id].Outcome.Field ?? _byId[id].Check.Target?.Field;

        public string Describe() => string.Join("\n", _byId.Values.Select(r => $"{r.Check.Id}: {r.Outcome.Status} {r.Outcome.Message}"));

        internal void Add(CheckDefinition check, CheckOutcome outcome)
        {
            lock (_byId)
                _byId[check.Id] = (check, outcome);
        }
    }
}
