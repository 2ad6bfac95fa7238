using System.Diagnostics;
using System.Text.Json;
using Runner.Appliance.Tests.Peers;

namespace Runner.Appliance.Tests.DeploymentRoles;

/// <summary>Reads and prepares a <see cref="Vcsim"/>'s VMs over SOAP with Debian's pyVmomi (Peers/vcsim-vms.py).</summary>
public static class VcsimVms
{
    public static async Task<List<JsonElement>> ListAsync(Vcsim sim) =>
        [.. JsonDocument.Parse(await RunAsync(sim, "list")).RootElement.EnumerateArray()];

    /// <summary>Powers <paramref name="vm"/> off and marks it a template, as a site's Packer template is, and creates the folder path.</summary>
    public static Task MakeTemplateAsync(Vcsim sim, string vm, string folder) => RunAsync(sim, "template", vm, folder);

    public static Task PowerOffAsync(Vcsim sim, string vm) => RunAsync(sim, "power-off", vm);

    private static async Task<string> RunAsync(Vcsim sim, params string[] command)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "Peers", "vcsim-vms.py"), sim.Host, sim.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), Vcsim.User, .. command])
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteLineAsync(Vcsim.Password);
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(process.ExitCode == 0, $"vcsim-vms.py {string.Join(' ', command)} failed: {await error}");
        return output;
    }
}
