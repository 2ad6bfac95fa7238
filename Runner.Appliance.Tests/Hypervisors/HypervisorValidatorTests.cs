using Runner.Appliance.Features.Hypervisors;
using Runner.Appliance.Security;

namespace Runner.Appliance.Tests.Hypervisors;

public sealed class HypervisorValidatorTests
{
    private static HypervisorDto VCenter(Action<HypervisorDto>? change = null)
    {
        var h = new HypervisorDto
        {
            Kind = HypervisorKind.VCenter, Alias = "vcenter-prod", Host = "vcenter.infra.example.local", Username = "administrator@vsphere.local",
            Password = new SecretInput("vc-password"), Datacenter = "DC0", Cluster = "DC0_C0", Datastore = "LocalDS_0", Network = "VM Network",
            Template = "rhel9-template",
        };
        change?.Invoke(h);
        return h;
    }

    private static HypervisorDto Nutanix(Action<HypervisorDto>? change = null)
    {
        var h = new HypervisorDto
        {
            Kind = HypervisorKind.Nutanix, Alias = "prism", Host = "10.2.0.5", Username = "admin", Password = new SecretInput("p"),
            Cluster = "cluster-a", Subnet = "vlan100", StorageContainer = "default", Image = "rhel9",
        };
        change?.Invoke(h);
        return h;
    }

    private static readonly HypervisorDto Other = new() { Id = 9, Alias = "esxi-lab" };

    [Fact]
    public void GoodEntriesOfEachKind_AreAccepted()
    {
        Assert.True(HypervisorValidator.Validate(VCenter(), [Other], passwordStored: false).IsEmpty);
        Assert.True(HypervisorValidator.Validate(Nutanix(), [Other], passwordStored: false).IsEmpty);
        Assert.True(HypervisorValidator.Validate(VCenter(h => { h.Kind = HypervisorKind.Esxi; h.Cluster = null; h.Datacenter = null; }), [], false).IsEmpty);
    }

    [Fact]
    public void AnUpdateWithoutANewPassword_KeepsTheStoredOne() =>
        Assert.True(HypervisorValidator.Validate(VCenter(h => h.Password = null), [], passwordStored: true).IsEmpty);

    public static TheoryData<string, Func<HypervisorDto>, string, string> BadEntries() => new()
    {
        { "no alias", () => VCenter(h => h.Alias = ""), "alias", "Alias is required" },
        { "alias with spaces", () => VCenter(h => h.Alias = "vcenter prod"), "alias", "is not valid" },
        { "alias taken", () => VCenter(h => h.Alias = "ESXI-LAB"), "alias", "already used" },
        { "no host", () => VCenter(h => h.Host = null), "host", "Host is required: the vCenter" },
        { "host with underscore", () => VCenter(h => h.Host = "v_center.local"), "host", "neither an IPv4 address nor a valid DNS name" },
        { "port 70000", () => VCenter(h => h.Port = 70000), "port", "Port 70000 is out of range; expected 1 to 65535, or leave it empty for the default (443)" },
        { "port 0 (not taken as the default)", () => VCenter(h => h.Port = 0), "port", "Port 0 is out of range; expected 1 to 65535, or leave it empty for the default (443)" },
        { "no user", () => VCenter(h => h.Username = " "), "username", "User name is required to log in to the vCenter" },
        { "no password on create", () => VCenter(h => h.Password = null), "password", "Password to log in to the vCenter is required" },
        { "bad thumbprint", () => VCenter(h => { h.CertificatePolicy = CertificatePolicy.TrustThumbprint; h.Thumbprint = "AB:CD"; }), "thumbprint", "SHA-256 fingerprint" },
        { "vCenter without datacenter", () => VCenter(h => h.Datacenter = null), "datacenter", "Datacenter is required for a vCenter" },
        { "vCenter without cluster", () => VCenter(h => h.Cluster = ""), "cluster", "Cluster is required for a vCenter" },
        { "vCenter without datastore", () => VCenter(h => h.Datastore = null), "datastore", "Datastore is required" },
        { "vCenter without network", () => VCenter(h => h.Network = null), "network", "Network (port group) is required" },
        { "vCenter without template", () => VCenter(h => h.Template = null), "template", "Template or ISO reference is required" },
        { "ESXi with a cluster", () => VCenter(h => h.Kind = HypervisorKind.Esxi), "cluster", "A standalone ESXi host has no cluster" },
        { "Prism without subnet", () => Nutanix(h => h.Subnet = null), "subnet", "Subnet is required for a Prism Central" },
        { "Prism without storage container", () => Nutanix(h => h.StorageContainer = null), "storageContainer", "Storage container is required" },
        { "Prism without image", () => Nutanix(h => h.Image = null), "image", "Image is required" },
    };

    [Theory]
    [MemberData(nameof(BadEntries))]
    public void ABadField_IsRejectedNamingTheField(string because, Func<HypervisorDto> entry, string field, string message)
    {
        var errors = HypervisorValidator.Validate(entry(), [Other], passwordStored: false);

        Assert.True(errors.Has(field), $"{because}: no error on {field}; got {string.Join(", ", errors.Fields)}");
        Assert.Contains(message, errors.For(field));
        Assert.Equal([field], errors.Fields);
    }
}
