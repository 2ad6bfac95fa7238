using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Features.Configuration.Collections;
using Runner.Appliance.Features.Zones;

namespace Runner.Appliance.Features.Preflight.Network;

/// <summary>The checks of one zone; they are independent of each other, so they run side by side.</summary>
internal sealed partial class ZoneNetworkCheckGroup : CheckGroup
{
    private const string Category = "Network";
    private readonly ZoneDto _zone;
    private readonly string _domain;
    private readonly IReadOnlyList<VirtualMachineDto> _vms;
    private readonly bool _provisioned;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _probeTimeout;
    private readonly CheckDefinition _dns, _records, _ntp, _gateway, _addresses;

    /// <param name="bounds">A zone's checks probe many systems side by side: the group has <see cref="PreflightOptions.SideBySideTimeout"/>, each probe <see cref="PreflightOptions.ProbeTimeout"/>.</param>
    public ZoneNetworkCheckGroup(ZoneDto zone, string domain, IReadOnlyList<VirtualMachineDto> vms, bool provisioned, TimeProvider clock, PreflightOptions bounds)
        : base(ItemKinds.Zones.Owner(zone.Id), bounds.SideBySideTimeout)
    {
        (_zone, _domain, _vms, _provisioned, _clock, _probeTimeout) = (zone, domain, vms, provisioned, clock, bounds.ProbeTimeout);
        var name = zone.Name!;
        var id = $"zones.{name.Trim().ToLowerInvariant()}";
        FieldRef Target(string field) => FieldRef.ForItem(ItemKinds.Zones, zone.Id, name, field);
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
