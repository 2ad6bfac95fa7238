using System.Text.RegularExpressions;
using Runner.Appliance.Features.Services;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Hypervisors;

/// <summary>The rules of a hypervisor entry, including the fields each kind requires.</summary>
public static partial class HypervisorValidator
{
    public static FieldErrors Validate(HypervisorDto input, IReadOnlyList<HypervisorDto> others, bool passwordStored)
    {
        var errors = new FieldErrors();
        var kind = KindName(input.Kind);
        ServiceRules.CheckAlias(errors, input.Alias, others.Select(o => o.Alias), "hypervisor");
        ServiceRules.CheckHost(errors, input.Host, kind);
        ServiceRules.CheckPort(errors, input.Port, HypervisorDto.DefaultPort(input.Kind));
        if (string.IsNullOrWhiteSpace(input.Username))
            errors.Add("username", $"User name is required to log in to the {kind}.");
        ServiceRules.RequireSecret(errors, input.Password, passwordStored, "password", $"Password to log in to the {kind}");

        if (input.CertificatePolicy == CertificatePolicy.TrustThumbprint && !ThumbprintPattern().IsMatch(input.Thumbprint?.Trim() ?? ""))
            errors.Add("thumbprint", "Certificate thumbprint is required for the 'trust this thumbprint' policy: a SHA-256 fingerprint, 64 hexadecimal digits (colons allowed).");

        switch (input.Kind)
        {
            case HypervisorKind.VCenter:
                Require(errors, input.Datacenter, "datacenter", "Datacenter", kind);
                Require(errors, input.Cluster, "cluster", "Cluster", kind);
                Require(errors, input.Datastore, "datastore", "Datastore", kind);
                Require(errors, input.Network, "network", "Network (port group)", kind);
                Require(errors, input.Template, "template", "Template or ISO reference", kind);
                break;
            case HypervisorKind.Esxi:
                if (!string.IsNullOrWhiteSpace(input.Cluster))
                    errors.Add("cluster", "A standalone ESXi host has no cluster; leave Cluster empty or choose the vCenter kind.");
                Require(errors, input.Datastore, "datastore", "Datastore", kind);
                Require(errors, input.Network, "network", "Network (port group)", kind);
                Require(errors, input.Template, "template", "Template or ISO reference", kind);
                break;
            case HypervisorKind.Nutanix:
                Require(errors, input.Cluster, "cluster", "Cluster", kind);
                Require(errors, input.Subnet, "subnet", "Subnet", kind);
                Require(errors, input.StorageContainer, "storageContainer", "Storage container", kind);
                Require(errors, input.Image, "image", "Image", kind);
                break;
            default:
                errors.Add("kind", $"Kind '{input.Kind}' is not known; expected VCenter, Esxi or Nutanix.");
                break;
        }
        return errors;
    }

    public static string KindName(HypervisorKind kind) => kind switch
    {
        HypervisorKind.VCenter => "vCenter",
        HypervisorKind.Esxi => "ESXi host",
        HypervisorKind.Nutanix => "Prism Central",
        _ => "hypervisor",
    };

    private static void Require(FieldErrors errors, string? value, string field, string label, string kind)
    {
        if (string.IsNullOrWhiteSpace(value))
            errors.Add(field, $"{label} is required for a {kind}: the name as it appears in the {kind}.");
    }

    [GeneratedRegex("^([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$|^[0-9A-Fa-f]{64}$")]
    private static partial Regex ThumbprintPattern();
}
