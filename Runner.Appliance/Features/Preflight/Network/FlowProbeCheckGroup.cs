using System.Globalization;
using System.Net.Sockets;
using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Features.Configuration.Collections;
using Runner.Appliance.Features.Flows;

namespace Runner.Appliance.Features.Preflight.Network;

/// <summary>One flow-matrix rule: a TCP connection from the appliance to each destination VM, side by side.</summary>
internal sealed class FlowProbeCheckGroup : CheckGroup
{
    private readonly FlowRuleDto _flow;
    private readonly TimeSpan _connectTimeout;
    private readonly IReadOnlyList<VirtualMachineDto>? _destinations;
    private readonly CheckDefinition _probe;
    private readonly string? _notProbed;

    /// <param name="bounds">The connections go side by side: the group has <see cref="PreflightOptions.SideBySideTimeout"/>, each connect <see cref="PreflightOptions.ProbeTimeout"/>.</param>
    /// <param name="notProbed">Why this flow cannot be probed from the appliance at all; null when it can.</param>
    public FlowProbeCheckGroup(FlowRuleDto flow, PreflightOptions bounds, IReadOnlyList<VirtualMachineDto>? destinations, string? notProbed = null)
        : base(ItemKinds.Flows.Owner(flow.Id), bounds.SideBySideTimeout)
    {
        (_flow, _connectTimeout, _destinations, _notProbed) = (flow, bounds.ProbeTimeout, destinations, notProbed);
        var name = $"{flow.Source} → {flow.Destination} {flow.Protocol.ToString().ToUpperInvariant()} {flow.Ports}";
        _probe = Define($"flows.{flow.Id}.probe", "Flows", notProbed is null ? $"{name} is open from the appliance" : name, CheckSeverity.Blocking,
            FieldRef.ForItem(ItemKinds.Flows, flow.Id, name, "destination"));
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

    private async Task<string?> ProbeAsync(VirtualMachineDto vm, int port, CancellationToken ct)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bound.CancelAfter(_connectTimeout);
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
            return $"{vm.HostName} ({vm.IpAddress}):{port} no answer within {_connectTimeout.TotalSeconds:0} s";
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
