using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Architecture;

/// <summary>
/// The VM inventory as a spreadsheet (CSV) and as the static JSON inventory Ansible reads:
/// one group per VM group, one per zone, one per Kubernetes cluster, host variables for provisioning.
/// </summary>
public sealed class InventoryExporter(IDbContextFactory<ApplianceDb> dbFactory, ArchitectureService architecture)
{
    public static readonly string[] CsvColumns =
        ["host_name", "fqdn", "ip_address", "zone", "vlan", "group", "vcpu", "ram_gb", "disks_gb", "hypervisor", "cluster", "datastore", "network", "roles", "edited"];

    public async Task<string> CsvAsync(CancellationToken ct = default)
    {
        var (vms, zones, domain) = await LoadAsync(ct);
        var csv = new StringBuilder();
        csv.AppendJoin(',', CsvColumns).Append("\r\n");
        foreach (var vm in vms)
        {
            string[] cells =
            [
                vm.HostName!, Fqdn(vm, domain), vm.IpAddress!, vm.Zone!, zones.GetValueOrDefault(vm.Zone!)?.VlanId.ToString(CultureInfo.InvariantCulture) ?? "",
                vm.Group!, Number(vm.Vcpu), Number(vm.RamGb), string.Join(';', vm.DisksGb ?? []), vm.Hypervisor!, vm.Cluster ?? "",
                vm.Datastore ?? "", vm.Network ?? "", string.Join(';', vm.Roles), string.Join(';', vm.EditedFields),
            ];
            csv.AppendJoin(',', cells.Select(Cell)).Append("\r\n");
        }
        return csv.ToString();
    }

    public async Task<string> AnsibleInventoryAsync(CancellationToken ct = default)
    {
        var (vms, zones, domain) = await LoadAsync(ct);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartObject("all");
            json.WriteStartObject("hosts");
            foreach (var vm in vms)
                WriteHost(json, vm, zones.GetValueOrDefault(vm.Zone!), domain);
            json.WriteEndObject();
            json.WriteStartObject("children");
            foreach (var group in vms.GroupBy(v => v.Group!))
                WriteGroup(json, GroupName(group.Key), group);
            foreach (var zone in vms.GroupBy(v => v.Zone!))
                WriteGroup(json, ZoneGroupName(zone.Key), zone);
            foreach (var cluster in vms.Select(v => architecture.Rules.Group(v.Group!)).Where(g => g?.Cluster is not null).GroupBy(g => g!.Cluster!))
            {
                json.WriteStartObject(GroupName(cluster.Key));
                json.WriteStartObject("children");
                foreach (var member in cluster.Select(g => g!.Id).Distinct())
                {
                    json.WriteStartObject(GroupName(member));
                    json.WriteEndObject();
                }
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Ansible group names take letters, digits and underscores: rke2-apps-agent becomes rke2_apps_agent.</summary>
    public static string GroupName(string id) => id.Replace('-', '_');

    public static string ZoneGroupName(string zone) => $"zone_{zone.ToLowerInvariant()}";

    private static void WriteHost(Utf8JsonWriter json, VirtualMachineDto vm, ZoneLayout? zone, string? domain)
    {
        json.WriteStartObject(vm.HostName!);
        json.WriteString("ansible_host", vm.IpAddress);
        json.WriteString("vm_fqdn", Fqdn(vm, domain));
        json.WriteString("vm_group", vm.Group);
        json.WriteString("vm_zone", vm.Zone);
        json.WriteNumber("vm_vcpu", vm.Vcpu);
        json.WriteNumber("vm_ram_gb", vm.RamGb);
        json.WriteStartArray("vm_disks_gb");
        foreach (var disk in vm.DisksGb ?? [])
            json.WriteNumberValue(disk);
        json.WriteEndArray();
        json.WriteString("vm_hypervisor", vm.Hypervisor);
        json.WriteString("vm_cluster", vm.Cluster);
        json.WriteString("vm_datastore", vm.Datastore);
        json.WriteString("vm_network", vm.Network);
        if (zone is not null)
        {
            json.WriteNumber("vm_vlan", zone.VlanId);
            json.WriteNumber("vm_prefix_length", zone.Subnet.PrefixLength);
            json.WriteString("vm_gateway", Ipv4.Format(zone.Gateway));
            json.WriteStartArray("vm_dns_servers");
            foreach (var dns in zone.DnsServers)
                json.WriteStringValue(dns);
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }

    private static void WriteGroup(Utf8JsonWriter json, string name, IEnumerable<VirtualMachineDto> members)
    {
        json.WriteStartObject(name);
        json.WriteStartObject("hosts");
        foreach (var vm in members)
        {
            json.WriteStartObject(vm.HostName!);
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private async Task<(IReadOnlyList<VirtualMachineDto> Vms, IReadOnlyDictionary<string, ZoneLayout?> Zones, string? Domain)> LoadAsync(CancellationToken ct)
    {
        var vms = await architecture.ListAsync(ct: ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var inputs = await ArchitectureInputs.LoadAsync(db, architecture.Rules, ct);
        return (vms, inputs.Zones, inputs.Settings?.BaseDomain);
    }

    private static string Fqdn(VirtualMachineDto vm, string? domain) => string.IsNullOrEmpty(domain) ? vm.HostName! : $"{vm.HostName}.{domain}";

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>RFC 4180 quoting; a cell a spreadsheet would run as a formula is prefixed with an apostrophe.</summary>
    public static string Cell(string value)
    {
        if (value.Length > 0 && "=+-@\t\r".Contains(value[0], StringComparison.Ordinal))
            value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) < 0 ? value : $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
    }
}
