using Microsoft.Extensions.Options;

namespace Runner.Appliance.Features.Preflight.Ssh;

/// <summary>
/// The deployment user's SSH key: the pair matches; once the VMs exist (provision-vms succeeded),
/// the deployment user logs in to each of them with it.
/// </summary>
public sealed class SshChecks(IOptions<PreflightOptions> options) : IPreflightSource
{
    public IEnumerable<CheckGroup> Groups(PreflightInputs inputs)
    {
        if (inputs.Configuration.Security is { } security)
            yield return new SshCheckGroup(security, inputs.SecuritySecret("sshPrivateKey"), inputs.SecuritySecret("sshPassphrase"), inputs.Provisioned ? inputs.Vms : [], options.Value);
    }
}
