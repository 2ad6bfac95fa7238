using System.Diagnostics;
using Runner.Appliance.Tests.Engine;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.DeploymentRoles;

/// <summary>The provisioning roles pass ansible-lint (production profile, offline) and ansible-playbook --syntax-check.</summary>
public sealed class ProvisioningLintTests : IDisposable
{
    private static readonly string[] Roles = ["provision-vms", .. ProvisioningBed.Roles];
    private readonly TempDirectory _copy = new();
    private readonly TempDirectory _cache = new();

    public ProvisioningLintTests() => EngineHost.CopyDirectory(Repository.PathOf("ansible"), _copy.Path);

    [Fact]
    public async Task TheProvisioningRoles_PassAnsibleLintInTheProductionProfile()
    {
        var (code, output) = await RunAsync("ansible-lint", ["--offline", "--nocolor", "-p", "--profile", "production", .. Roles.Select(r => Path.Combine("roles", r))]);

        Assert.True(code == 0, output);
        Assert.Contains("Passed with production profile", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheProvisioningRoles_PassTheSyntaxCheck_OfTheWrapperPlaybook()
    {
        foreach (var role in ProvisioningBed.Roles)
        {
            var (code, output) = await RunAsync("ansible-playbook", ["--syntax-check", "-i", "localhost,", "playbooks/run_role.yml", "-e", $"role_name={role}", "-e", "target_hosts=localhost"]);
            Assert.True(code == 0, $"{role}: {output}");
        }
    }

    private async Task<(int Code, string Output)> RunAsync(string command, string[] arguments)
    {
        var start = new ProcessStartInfo(command) { WorkingDirectory = _copy.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["ANSIBLE_ROLES_PATH"] = Path.Combine(_copy.Path, "roles");
        start.Environment["XDG_CACHE_HOME"] = _cache.Path;
        start.Environment["ANSIBLE_HOME"] = Path.Combine(_cache.Path, "ansible");
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        return (process.ExitCode, output + await error);
    }

    public void Dispose()
    {
        _copy.Dispose();
        _cache.Dispose();
    }
}
