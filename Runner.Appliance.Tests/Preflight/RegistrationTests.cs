using Microsoft.Extensions.DependencyInjection;
using Runner.Appliance.Features.Preflight;
using Runner.Appliance.Features.Preflight.Mail;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Preflight;

public sealed class RegistrationTests
{
    [Fact]
    public void TheAppliance_RegistersEverySourceInPageOrder_WithTheConfiguredBound()
    {
        using var data = new TempDirectory();
        using var host = new ApplianceHost(data.Path, settings: new Dictionary<string, string?> { ["Appliance:Preflight:CheckTimeout"] = "00:00:07" });
        using var scope = host.Services.CreateScope();

        var sources = scope.ServiceProvider.GetServices<IPreflightSource>().ToList();

        Assert.Equal(["ReviewChecks", "VsphereChecks", "PrismChecks", "NetworkChecks", "FlowChecks", "DatabaseChecks", "LdapChecks", "SmtpChecks", "EndpointChecks", "CertificateChecks", "SshChecks", "ArtifactChecks"],
            sources.Select(s => s.GetType().Name));
        var inputs = CheckHarness.Inputs(new() { Smtp = [new() { Id = 1, Alias = "relay", Host = "127.0.0.1" }] });
        Assert.Equal(TimeSpan.FromSeconds(7), Assert.Single(sources.OfType<SmtpChecks>().Single().Groups(inputs)).Timeout);
    }
}
