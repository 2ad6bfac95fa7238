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
                yield return new FlowProbeCheckGroup(flow, options.Value, null, $"Only flows from the appliance's zone ({zone}) are probed; this one starts in {flow.Source}, "
                    + "where the appliance has no agent: confirm it with the network team's firewall export.");
            else if (flow.Protocol != FlowProtocol.Tcp)
                yield return new FlowProbeCheckGroup(flow, options.Value, null, $"A {flow.Protocol.ToString().ToUpperInvariant()} flow has no connection to try; only TCP flows are probed.");
            else
                yield return new FlowProbeCheckGroup(flow, options.Value, inputs.Provisioned ? Destinations(flow.Destination ?? "", inputs.Vms) : null);
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
