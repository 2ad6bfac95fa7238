using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;
using Runner.Appliance.Features.Audit;
using Runner.Appliance.Features.Configuration.Collections;
using Runner.Appliance.Security;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Hypervisors;

/// <summary>The hypervisors of the deployment; passwords go through the secret protector only.</summary>
public sealed class HypervisorService(IDbContextFactory<ApplianceDb> dbFactory, AuditLog audit, TimeProvider clock, ISecretProtector protector)
    : ConfigCollectionService<Hypervisor, HypervisorDto>(dbFactory, audit, clock)
{
    public const string PasswordPurpose = "hypervisor/password";

    public override string Noun => "hypervisor";

    public override HypervisorDto ToDto(Hypervisor h) => new()
    {
        Id = h.Id, Kind = h.Kind, Alias = h.Alias, Host = h.Host, Port = h.Port, Username = h.Username,
        PasswordSet = h.PasswordCiphertext is not null, CertificatePolicy = h.CertificatePolicy, Thumbprint = h.Thumbprint,
        Datacenter = h.Datacenter, Cluster = h.Cluster, EsxiHost = h.EsxiHost, Datastore = h.Datastore, Network = h.Network,
        ResourcePool = h.ResourcePool, Folder = h.Folder, Template = h.Template,
        StorageContainer = h.StorageContainer, Subnet = h.Subnet, Image = h.Image,
        Version = h.Version, UpdatedBy = h.UpdatedBy, UpdatedAt = h.UpdatedAt,
    };

    public override FieldErrors Validate(HypervisorDto input, IReadOnlyList<HypervisorDto> others, Hypervisor? current = null) =>
        HypervisorValidator.Validate(input, others, passwordStored: current?.PasswordCiphertext is not null);

    protected override IReadOnlyDictionary<string, string> RevealSecrets(Hypervisor entity) =>
        entity.PasswordCiphertext is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["password"] = protector.Unprotect(PasswordPurpose, entity.PasswordCiphertext) };

    protected override string NameOf(Hypervisor entity) => entity.Alias;

    protected override void Apply(HypervisorDto input, Hypervisor h)
    {
        var vsphere = input.Kind != HypervisorKind.Nutanix;
        h.Kind = input.Kind;
        h.Alias = input.Alias!.Trim();
        h.Host = input.Host!.Trim();
        h.Port = input.Port ?? HypervisorDto.DefaultPort(input.Kind);
        h.Username = input.Username!.Trim();
        h.PasswordCiphertext = (input.Password ?? SecretInput.Keep).ApplyTo(h.PasswordCiphertext, protector, PasswordPurpose);
        h.CertificatePolicy = input.CertificatePolicy;
        h.Thumbprint = input.CertificatePolicy == CertificatePolicy.TrustThumbprint ? input.Thumbprint!.Trim().Replace(":", "").ToUpperInvariant() : null;
        // Fields of the other kind are dropped, so a kind change leaves nothing stale behind.
        h.Datacenter = vsphere ? input.Datacenter.TrimmedOrNull() ?? (input.Kind == HypervisorKind.Esxi ? "ha-datacenter" : null) : null;
        h.Cluster = input.Kind == HypervisorKind.Esxi ? null : input.Cluster.TrimmedOrNull();
        h.EsxiHost = vsphere ? input.EsxiHost.TrimmedOrNull() : null;
        h.Datastore = vsphere ? input.Datastore.TrimmedOrNull() : null;
        h.Network = vsphere ? input.Network.TrimmedOrNull() : null;
        h.ResourcePool = vsphere ? input.ResourcePool.TrimmedOrNull() : null;
        h.Folder = vsphere ? input.Folder.TrimmedOrNull() : null;
        h.Template = vsphere ? input.Template.TrimmedOrNull() : null;
        h.StorageContainer = vsphere ? null : input.StorageContainer.TrimmedOrNull();
        h.Subnet = vsphere ? null : input.Subnet.TrimmedOrNull();
        h.Image = vsphere ? null : input.Image.TrimmedOrNull();
    }

}
