using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Features.Flows;

namespace Runner.Appliance.Features.Preflight.Network;

/// <summary>
/// The flow-matrix rules whose source is the appliance's own zone (Appliance:Preflight:ApplianceZone),
/// probed from the appliance once the destination VMs exist: a TCP connection that is accepted or
/// refused went through the firewall; silence means the flow is filtered. Every other flow gets its
/// check too, skipped with the reason, so that each rule of the matrix says whether it was verified.
/// </summary>
public sealed class FlowChecks(SizingFile sizing, IOptions<PreflightOptions> options) : IPreflightSource
{
    public IEnumerable<CheckGroup> Groups(PreflightInputs inputs)
    {
        var zone = options.Value.ApplianceZone;
        foreach (var flow in inputs.Configuration.Flows)
        {
            if (!string.Equals(flow.Source?.Trim(), zone, StringComparison.Ordinal))
                yield return new FlowProbeGroup(flow, null, $"Only flows from the appliance's zone ({zone}) are probed; this one starts in {flow.Source}, "
                    + "where the appliance has no agent: confirm it with the network team's firewall export.");
            else if (flow.Protocol != FlowProtocol.Tcp)
                yield return new FlowProbeGroup(flow, null, $"A {flow.Protocol.ToString().ToUpperInvariant()} flow has no connection to try; only TCP flows are probed.");
            else
                yield return new FlowProbeGroup(flow, inputs.Provisioned ? Destinations(flow.Destination ?? "", inputs.Vms) : null);
        }
    }

    /// <summary>"ZONE" → its VMs; "ZONE:group" → that group's VMs, or a Kubernetes cluster's (its server and agent groups).</summary>
    private List<VirtualMachineDto> Destinations(string endpoint, IReadOnlyList<VirtualMachineDto> vms)
    {
        var parts = endpoint.Trim().Split(':');
        return [.. vms.Where(v => v.Zone == parts[0] && !string.IsNullOrEmpty(v.IpAddress)
            && (parts.Length == 1 || v.Group == parts[1] || sizing.Rules.Group(v.Group ?? "")?.Cluster == parts[1]))];
    }
}

internal sealed class FlowProbeGroup : CheckGroup
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);
    private readonly FlowRuleDto _flow;
    private readonly IReadOnlyList<VirtualMachineDto>? _destinations;
    private readonly CheckDefinition _probe;
    private readonly string? _notProbed;

    /// <param name="notProbed">Why this flow cannot be probed from the appliance at all; null when it can.</param>
    public FlowProbeGroup(FlowRuleDto flow, IReadOnlyList<VirtualMachineDto>? destinations, string? notProbed = null) : base($"flows:{flow.Id}", TimeSpan.FromSeconds(6))
    {
        (_flow, _destinations, _notProbed) = (flow, destinations, notProbed);
        var name = $"{flow.Source} → {flow.Destination} {flow.Protocol.ToString().ToUpperInvariant()} {flow.Ports}";
        _probe = Define($"flows.{flow.Id}.probe", "Flows", notProbed is null ? $"{name} is open from the appliance" : name, CheckSeverity.Blocking,
            FieldRef.ForItem("wizard/flows", "flows", flow.Id, name, "destination"));
    }

    public override async Task RunAsync(CheckReport report, CancellationToken ct)
    {
        if (_notProbed is not null)
        {
            report.Report(_probe, CheckOutcome.Skipped(_notProbed));
            return;
        }
        if (_destinations is null)
        {
            report.Report(_probe, CheckOutcome.Skipped("The destination VMs are not provisioned yet: the flow is probed once they exist."));
            return;
        }
        if (_destinations.Count == 0)
        {
            report.Report(_probe, CheckOutcome.Skipped($"No VM of {_flow.Destination} is planned."));
            return;
        }
        var ports = FirstPorts(_flow.Ports);
        var probes = await Task.WhenAll(_destinations.SelectMany(vm => ports.Select(port => ProbeAsync(vm, port, ct))));
        var filtered = probes.Where(p => p is not null).ToList();
        report.Report(_probe, filtered.Count == 0
            ? CheckOutcome.Passed($"{probes.Length} connection{(probes.Length > 1 ? "s" : "")} from the appliance went through ({_destinations.Count} VMs × port {string.Join(", ", ports)}).")
            : CheckOutcome.Failed($"Filtered from the appliance: {string.Join("; ", filtered.Take(5))}{(filtered.Count > 5 ? "; …" : "")}. "
                + "Ask the network team to open this flow in the firewall (the flows export lists it).", detail: string.Join("\n", filtered)));
    }

    private static async Task<string?> ProbeAsync(VirtualMachineDto vm, int port, CancellationToken ct)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bound.CancelAfter(ConnectTimeout);
        try
        {
            await socket.ConnectAsync(System.Net.IPAddress.Parse(vm.IpAddress!), port, bound.Token);
            return null;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return null; // the VM answered "nothing listens here": the firewall let the packet through
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return $"{vm.HostName} ({vm.IpAddress}):{port} no answer within {ConnectTimeout.TotalSeconds:0} s";
        }
        catch (SocketException e)
        {
            return $"{vm.HostName} ({vm.IpAddress}):{port} {e.SocketErrorCode}";
        }
    }

    /// <summary>The first port of each range or list item ("80,443,8000-8100" → 80, 443, 8000), at most three.</summary>
    private static List<int> FirstPorts(string? ports) =>
        [.. (ports ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(p => int.Parse(p.Split('-')[0].Trim(), CultureInfo.InvariantCulture)).Distinct().Take(3)];
}
