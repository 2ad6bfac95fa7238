using Microsoft.Extensions.Options;
using Runner.Appliance.Features.Artifacts;

namespace Runner.Appliance.Features.Preflight.Artifacts;

/// <summary>The offline artifact store: per role of the plan that needs artifacts, that each is present and verified.</summary>
public sealed class ArtifactChecks(ArtifactNeeds needs, ArtifactInventory inventory, IOptions<PreflightOptions> options) : IPreflightSource
{
    public IEnumerable<CheckGroup> Groups(PreflightInputs inputs)
    {
        var roles = needs.Of(inputs.Configuration.General?.Products ?? []).Where(r => r.InPlan).ToList();
        if (roles.Count > 0)
            yield return new ArtifactCheckGroup(roles, inputs.Configuration.General?.Products ?? [], inventory, options.Value.CheckTimeout);
    }
}
