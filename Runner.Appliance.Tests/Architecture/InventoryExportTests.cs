using System.Diagnostics;
using System.Text.Json;
using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Tests.Infrastructure;

namespace Runner.Appliance.Tests.Architecture;

public sealed class InventoryExportTests : IAsyncLifetime
{
    private readonly ArchitectureBed _bed = new(users: 800);
    private readonly TempDirectory _work = new();

    public async Task InitializeAsync() => await _bed.GenerateAsync();

    /// <summary>The real ansible-inventory reads the export: groups by VM group, by zone and by cluster, with the host variables.</summary>
    [Fact]
    public async Task AnsibleReadsTheJsonInventory_WithEveryGroupAndHostVariable()
    {
        var path = Path.Combine(_work.Path, "inventory.json");
        await File.WriteAllTextAsync(path, await _bed.Exporter.AnsibleInventoryAsync());

        using var listed = JsonDocument.Parse(await AnsibleInventoryAsync(path, "--list"));

        var root = listed.RootElement;
        Assert.Equal(3, Hosts(root, "vault").Count);
        Assert.Equal(13, Hosts(root, "zone_lan_infra").Count);
        Assert.Equal(8, Hosts(root, "zone_dmz").Count);
        Assert.Equal(["rke2_apps_agent", "rke2_apps_server"], Children(root, "rke2_apps").Order());
        var vars = root.GetProperty("_meta").GetProperty("hostvars").GetProperty("prod-rke2-apps-agent-01");
        Assert.Equal("10.1.100.13", vars.GetProperty("ansible_host").GetString());
        Assert.Equal("prod-rke2-apps-agent-01.example.local", vars.GetProperty("vm_fqdn").GetString());
        Assert.Equal(100, vars.GetProperty("vm_vlan").GetInt32());
        Assert.Equal(24, vars.GetProperty("vm_prefix_length").GetInt32());
        Assert.Equal("10.1.100.1", vars.GetProperty("vm_gateway").GetString());
        Assert.Equal([100, 300], vars.GetProperty("vm_disks_gb").EnumerateArray().Select(d => d.GetInt32()));

        var graph = await AnsibleInventoryAsync(path, "--graph", "rke2_apps");
        Assert.Contains("prod-rke2-apps-server-03", graph, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCsv_HasOneRowPerVm_AndQuotesWhatNeedsIt()
    {
        await _bed.EditAsync("prod-vault-01", v => v.Cluster = "=cmd, \"quoted\"");

        var lines = (await _bed.Exporter.CsvAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(string.Join(',', InventoryExporter.CsvColumns), lines[0]);
        Assert.Equal(36, lines.Length);
        Assert.StartsWith("prod-registry-01,prod-registry-01.example.local,10.1.10.10,LAN_INFRA,10,registry,2,4,50;300,vc,DC0_C0,LocalDS_0,VM Network,prepare-vms;install-docker-registry,", lines[1], StringComparison.Ordinal);
        Assert.Contains(",\"'=cmd, \"\"quoted\"\"\",", lines.Single(l => l.StartsWith("prod-vault-01,", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    private static List<string> Hosts(JsonElement root, string group) =>
        [.. root.GetProperty(group).GetProperty("hosts").EnumerateArray().Select(h => h.GetString()!)];

    private static IEnumerable<string> Children(JsonElement root, string group) =>
        root.GetProperty(group).GetProperty("children").EnumerateArray().Select(h => h.GetString()!);

    private async Task<string> AnsibleInventoryAsync(string inventory, params string[] args)
    {
        var start = new ProcessStartInfo("ansible-inventory") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-i");
        start.ArgumentList.Add(inventory);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["ANSIBLE_INVENTORY_UNPARSED_FAILED"] = "True";
        start.Environment["ANSIBLE_LOCAL_TEMP"] = Path.Combine(_work.Path, "tmp");
        start.Environment["ANSIBLE_HOME"] = Path.Combine(_work.Path, "home");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"ansible-inventory failed ({process.ExitCode}): {error}");
        Assert.DoesNotContain("WARNING", error, StringComparison.Ordinal);
        return await output;
    }

    public Task DisposeAsync()
    {
        _bed.Dispose();
        _work.Dispose();
        return Task.CompletedTask;
    }
}
