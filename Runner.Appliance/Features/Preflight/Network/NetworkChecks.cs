using Microsoft.Extensions.Options;

namespace Runner.Appliance.Features.Preflight.Network;

/// <summary>Per zone: DNS servers and records, NTP servers and clock, gateway, planned addresses still free.</summary>
public sealed class NetworkChecks(IOptions<PreflightOptions> options, TimeProvider clock) : IPreflightSource
{
    public IEnumerable<CheckGroup> Groups(PreflightInputs inputs)
    {
        var domain = inputs.Configuration.General?.BaseDomain ?? "";
        foreach (var zone in inputs.Configuration.Zones.Where(z => !string.IsNullOrEmpty(z.Name)))
            yield return new ZoneNetworkCheckGroup(zone, domain, [.. inputs.Vms.Where(v => v.Zone == zone.Name)], inputs.Provisioned, clock, options.Value);
    }
}
