using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Features.Configuration.Collections;
using Runner.Appliance.Features.Hypervisors;
using Runner.Appliance.Features.Zones;
using Runner.Appliance.Validation;
using Runner.Appliance.Integrations.Tls;
using Runner.Appliance.Integrations.Vsphere;

namespace Runner.Appliance.Features.Preflight.Vsphere;

/// <summary>
/// The checks of one vCenter or ESXi host, in one session: TLS, login, then every name the
/// configuration gives (its own and its zones' overrides) against the inventory, then capacity.
/// It stores nothing: the capacity it read is its <see cref="Reading"/>.
/// </summary>
public sealed partial class VsphereCheckGroup : CheckGroup, IReadsCapacity
{
    private const string Category = "Hypervisors";
    private readonly HypervisorDto _hypervisor;
    private readonly string? _password;
    private readonly PreflightInputs _inputs;
    private readonly VsphereCapacity _capacity;
    private readonly string _alias;
    private readonly List<(ZoneDto Zone, CheckDefinition Check)> _zones = [];

    public VsphereCheckGroup(HypervisorDto hypervisor, string? password, PreflightInputs inputs, VsphereCapacity capacity, TimeSpan timeout)
        : base(ItemKinds.Hypervisors.Owner(hypervisor.Id), timeout)
    {
        (_hypervisor, _password, _inputs, _capacity) = (hypervisor, password, inputs, capacity);
        _alias = hypervisor.Alias!.Trim();
        var esxi = hypervisor.Kind == HypervisorKind.Esxi;
        Tls = Check("tls", "TLS and certificate", "host");
        Login = Check("login", "login", "password");
        Datacenter = Check("datacenter", "datacenter", "datacenter");
        Cluster = esxi ? null : Check("cluster", "cluster", "cluster");
        Host = esxi || !string.IsNullOrWhiteSpace(hypervisor.EsxiHost) ? Check("esxihost", "ESXi host", "esxiHost") : null;
        Datastore = Check("datastore", "datastore", "datastore");
        Network = Check("network", "network", "network");
        ResourcePool = Check("resourcepool", "resource pool", "resourcePool");
        Folder = Check("folder", "VM folder", "folder");
        Template = Check("template", "template", "template");
        foreach (var zone in ZonesOnThisHypervisor())
            _zones.Add((zone, Define($"zones.{zone.Name!.Trim().ToLowerInvariant()}.placement", Category, $"{zone.Name}: placement on {_alias}",
                CheckSeverity.Blocking, FieldRef.ForItem(ItemKinds.Zones, zone.Id, zone.Name!, FirstOverride(zone)))));
        Capacity = Check("capacity", "capacity", "cluster");
    }

    public CheckDefinition Tls { get; }
    public CheckDefinition Login { get; }
    public CheckDefinition Datacenter { get; }
    public CheckDefinition? Cluster { get; }
    public CheckDefinition? Host { get; }
    public CheckDefinition Datastore { get; }
    public CheckDefinition Network { get; }
    public CheckDefinition ResourcePool { get; }
    public CheckDefinition Folder { get; }
    public CheckDefinition Template { get; }
    public CheckDefinition Capacity { get; }

    /// <summary>What the clusters (or the standalone host) and datastores offered; null until the capacity check ran.</summary>
    public CapacityReading? Reading { get; private set; }

    private string Where => $"{_hypervisor.Host?.Trim()}:{Port}";

    private int Port => _hypervisor.Port ?? HypervisorDto.DefaultPort(_hypervisor.Kind);

    public override async Task RunAsync(CheckReport report, CancellationToken ct)
    {
        var trust = new ServerTrust(_hypervisor.CertificatePolicy, _hypervisor.Thumbprint, _inputs.Authorities);
        using var http = trust.CreateClient(Timeout);
        VsphereClient? client = null;
        try
        {
            client = await ConnectAsync(http, trust, report, ct);
            if (client is null)
            {
                report.SkipRest(Checks, $"{_alias} was not reached.");
                return;
            }
            if (!await LoginAsync(client, report, ct))
            {
                report.SkipRest(Checks, $"Could not log in to {_alias}.");
                return;
            }
            Begin(Datacenter);
            var template = _hypervisor.Template.TrimmedOrNull();
            var inventory = await VsphereInventory.ReadAsync(client, withVms: template is not null && !template.StartsWith('['), ct);
            CheckInventory(inventory, report);
        }
        catch (VsphereFaultException e)
        {
            Interrupt(report, CheckOutcome.Failed($"{_alias} refused a request from {_hypervisor.Username}: {e.Message} ({e.FaultType})."), $"{_alias} stopped answering.");
        }
        catch (Exception e) when (e is HttpRequestException or VsphereProtocolException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            Interrupt(report, CheckOutcome.Failed($"{Where} stopped answering: {e.Message}"), $"{_alias} stopped answering.");
        }
        finally
        {
            await LogoutAsync(client);
        }
    }

    private CheckDefinition Check(string aspect, string title, string field) =>
        Define($"hypervisors.{_alias.ToLowerInvariant()}.{aspect}", Category, $"{_alias}: {title}", CheckSeverity.Blocking,
            FieldRef.ForItem(ItemKinds.Hypervisors, _hypervisor.Id, _alias, field));

    private IEnumerable<ZoneDto> ZonesOnThisHypervisor() => _inputs.Configuration.Zones.Where(z =>
        string.Equals(z.Hypervisor?.Trim(), _alias, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(z.Name) && FirstOverride(z) != "");

    private static string FirstOverride(ZoneDto zone) =>
        zone.Cluster.TrimmedOrNull() is not null ? "cluster" : zone.Datastore.TrimmedOrNull() is not null ? "datastore" : zone.Network.TrimmedOrNull() is not null ? "network" : "";

    /// <summary>Ends the session even when a check failed or the time ran out, within a second of its own.</summary>
    private static async Task LogoutAsync(VsphereClient? client)
    {
        if (client is not { LoggedIn: true })
            return;
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await client.LogoutAsync(bound.Token);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or VsphereFaultException or VsphereProtocolException)
        {
            // The session expires on the server by itself; nothing else to do.
        }
    }
}
