using Microsoft.Extensions.Options;
using Runner.Appliance.Features.SecuritySettings;

namespace Runner.Appliance.Features.Preflight.Certificates;

/// <summary>The site TLS certificate of the security step: chain, key, validity window, names.</summary>
public sealed class CertificateChecks(IOptions<PreflightOptions> options, TimeProvider clock) : IPreflightSource
{
    public IEnumerable<CheckGroup> Groups(PreflightInputs inputs)
    {
        if (inputs.Configuration.Security is { TlsMode: TlsMode.Upload, CertificatePem: { Length: > 0 } pem })
            yield return new CertificateCheckGroup(pem, inputs.SecuritySecret("privateKey"), PublishedNames.For(inputs.Configuration), clock, options.Value.CheckTimeout);
    }
}
