using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Runner.Appliance.Features.Preflight;

namespace Runner.Appliance.Tests.Preflight.ServiceChecks;

public sealed class RegistrationTests
{
    [Fact]
    public void AddPreflight_RegistersTheDatabaseDirectoryAndMailSourcesWithTheConfiguredBound()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Appliance:Preflight:CheckTimeout"] = "00:00:07" })
            .Build();
        using var services = new ServiceCollection().AddPreflight(configuration).BuildServiceProvider();
        using var scope = services.CreateScope();

        var sources = scope.ServiceProvider.GetServices<IPreflightSource>().Select(s => s.GetType().Name).ToList();

        Assert.Contains("DatabaseChecks", sources);
        Assert.Contains("LdapChecks", sources);
        Assert.Contains("SmtpChecks", sources);
        var smtp = scope.ServiceProvider.GetServices<IPreflightSource>().OfType<Runner.Appliance.Features.Preflight.Mail.SmtpChecks>().Single();
        var inputs = GroupRun.Inputs(new() { Smtp = [new() { Id = 1, Alias = "relay", Host = "127.0.0.1" }] }, []);
        Assert.Equal(TimeSpan.FromSeconds(7), Assert.Single(smtp.Groups(inputs)).Timeout);
    }
}
