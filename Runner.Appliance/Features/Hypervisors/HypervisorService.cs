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
        h.Port = input.Port == 0 ? HypervisorDto.DefaultPort(input.Kind) : input.Port;
        h.Username = input.Username!.Trim();
        h.PasswordCiphertext = (input.Password ?? SecretInput.Keep).ApplyTo(h.PasswordCiphertext, protector, PasswordPurpose);
        h.CertificatePolicy = input.CertificatePolicy;
        h.Thumbprint = input.CertificatePolicy == CertificatePolicy.TrustThumbprint ? input.Thumbprint!.Trim().Replace(":", "").ToUpperInvariant() : null;
        // Fields of the other kind are dropped, so a kind change leaves nothing stale behind.
        h.Datacenter = vsphere ? Clean(input.Datacenter) ?? (input.Kind == HypervisorKind.Esxi ? "ha-datacenter" : null) : null;
        h.Cluster = input.Kind == HypervisorKind.Esxi ? null : Clean(input.Cluster);
        h.EsxiHost = vsphere ? Clean(input.EsxiHost) : null;
        h.Datastore = vsphere ? Clean(input.Datastore) : null;
        h.Network = vsphere ? Clean(input.Network) : null;
        h.ResourcePool = vsphere ? Clean(input.ResourcePool) : null;
        h.Folder = vsphere ? Clean(input.Folder) : null;
        h.Template = vsphere ? Clean(input.Template) : null;
        h.StorageContainer = vsphere ? null : Clean(input.StorageContainer);
        h.Subnet = vsphere ? null : Clean(input.Subnet);
        h.Image = vsphere ? null : Clean(input.Image);
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
