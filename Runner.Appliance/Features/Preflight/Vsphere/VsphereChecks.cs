using Microsoft.Extensions.Options;
using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Features.Configuration.Collections;
using Runner.Appliance.Features.Hypervisors;

namespace Runner.Appliance.Features.Preflight.Vsphere;

/// <summary>One check group per vCenter or standalone ESXi host of the configuration, talking SOAP to its /sdk.</summary>
public sealed class VsphereChecks(SizingFile sizing, IOptions<PreflightOptions> options, TimeProvider clock)
    : IPreflightSource
{
    public IEnumerable<CheckGroup> Groups(PreflightInputs inputs)
    {
        var hypervisors = inputs.Configuration.Hypervisors;
        for (var index = 0; index < hypervisors.Count; index++)
        {
            var hypervisor = hypervisors[index];
            if (hypervisor.Kind is not (HypervisorKind.VCenter or HypervisorKind.Esxi) || string.IsNullOrWhiteSpace(hypervisor.Alias))
                continue;
            var capacity = new VsphereCapacity(sizing.Rules, clock);
            yield return new VsphereCheckGroup(hypervisor, inputs.Secret(ItemKinds.Hypervisors, index, "password"), inputs, capacity, options.Value.CheckTimeout);
        }
    }
}
