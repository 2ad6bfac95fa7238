using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Features.Zones;

namespace Runner.Appliance.Features.Preflight.Network;

/// <summary>Per zone: DNS servers and records, NTP servers and clock, gateway, planned addresses still free.</summary>
public sealed class NetworkChecks(TimeProvider clock) : IPreflightSource
{
    public IEnumerable<CheckGroup> Groups(PreflightInputs inputs)
    {
        var domain = inputs.Configuration.General?.BaseDomain ?? "";
        foreach (var zone in inputs.Configuration.Zones.Where(z => !string.IsNullOrEmpty(z.Name)))
            yield return new ZoneNetworkGroup(zone, domain, [.. inputs.Vms.Where(v => v.Zone == zone.Name)], inputs.Provisioned, clock);
    }
}

/// <summary>The checks of one zone; they are independent of each other, so they run side by side.</summary>
internal sealed partial class ZoneNetworkGroup : CheckGroup
{
    private const string Category = "Network";
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);
    private readonly ZoneDto _zone;
    private readonly string _domain;
    private readonly IReadOnlyList<VirtualMachineDto> _vms;
    private readonly bool _provisioned;
    private readonly TimeProvider _clock;
    private readonly CheckDefinition _dns, _records, _ntp, _gateway, _addresses;

    public ZoneNetworkGroup(ZoneDto zone, string domain, IReadOnlyList<VirtualMachineDto> vms, bool provisioned, TimeProvider clock)
        : base($"zones:{zone.Id}", TimeSpan.FromSeconds(8))
    {
        (_zone, _domain, _vms, _provisioned, _clock) = (zone, domain, vms, provisioned, clock);
        var name = zone.Name!;
        var id = $"zones.{name.Trim().ToLowerInvariant()}";
        FieldRef Target(string field) => FieldRef.ForItem("wizard/zones", "zones", zone.Id, name, field);
        _dns = Define($"{id}.dns", Category, $"{name}: DNS servers answer", CheckSeverity.Blocking, Target("dnsServers"));
        _records = Define($"{id}.dns-records", Category, $"{name}: forward and reverse records of the VMs", CheckSeverity.Warning, Target("dnsServers"));
        _ntp = Define($"{id}.ntp", Category, $"{name}: NTP servers answer, appliance clock within 1 s", CheckSeverity.Blocking, Target("ntpServers"));
        _gateway = Define($"{id}.gateway", Category, $"{name}: gateway answers", CheckSeverity.Warning, Target("gateway"));
        _addresses = Define($"{id}.addresses", Category, $"{name}: planned VM addresses are free", CheckSeverity.Blocking, Target("excludedAddresses"));
    }

    public override Task RunAsync(CheckReport report, CancellationToken ct) =>
        Task.WhenAll(
            Guard(report, _dns, () => DnsAndRecordsAsync(report, ct)),
            Guard(report, _ntp, async () => report.Report(_ntp, await NtpAsync(ct))),
            Guard(report, _gateway, async () => report.Report(_gateway, await GatewayAsync(ct))),
            Guard(report, _addresses, async () => report.Report(_addresses, await AddressesAsync(ct))));

    /// <summary>One sub-check's crash is that check's failure; the zone's other checks go on.</summary>
    private static async Task Guard(CheckReport report, CheckDefinition check, Func<Task> run)
    {
        try
        {
            await run();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            report.Report(check, CheckOutcome.Failed($"The check stopped: {e.Message}"));
        }
    }
}
