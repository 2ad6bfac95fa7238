using Microsoft.Extensions.Options;
using Runner.Appliance.Features.Configuration.Collections;
using Runner.Appliance.Features.Hypervisors;

namespace Runner.Appliance.Features.Preflight.Prism;

/// <summary>
/// Checks every Nutanix hypervisor against its Prism Central: TLS, login, and that the cluster,
/// subnet, storage container and image it names exist, as do the subnets its zones override.
/// Tested against a protocol-faithful fake Prism Central (no Nutanix simulator exists).
/// </summary>
public sealed class PrismChecks(IOptions<PreflightOptions> options) : IPreflightSource
{
    private const long GiB = 1L << 30;

    public IEnumerable<CheckGroup> Groups(PreflightInputs inputs)
    {
        var document = inputs.Configuration;
        for (var i = 0; i < document.Hypervisors.Count; i++)
        {
            var hypervisor = document.Hypervisors[i];
            if (hypervisor.Kind != HypervisorKind.Nutanix)
                continue;
            var zones = document.Zones.Where(z => !string.IsNullOrWhiteSpace(z.Network) && SameAlias(z.Hypervisor, hypervisor.Alias));
            var plannedDisks = inputs.Vms.Where(vm => SameAlias(vm.Hypervisor, hypervisor.Alias))
                .Sum(vm => (vm.DisksGb ?? []).Sum(gb => (long)gb)) * GiB;
            yield return new PrismCheckGroup(hypervisor, inputs.Secret(ItemKinds.Hypervisors, i, "password"), zones, plannedDisks, options.Value.CheckTimeout, inputs.Authorities);
        }
    }

    private static bool SameAlias(string? a, string? b) =>
        !string.IsNullOrWhiteSpace(a) && string.Equals(a.Trim(), b?.Trim(), StringComparison.OrdinalIgnoreCase);
}
