using Runner.Appliance.Features.Configuration;
using Runner.Appliance.Features.Configuration.Collections;
using Runner.Appliance.Features.Flows;
using Runner.Appliance.Features.Hypervisors;
using Runner.Appliance.Features.SecuritySettings;
using Runner.Appliance.Features.Services;
using Runner.Appliance.Features.Zones;

namespace Runner.Appliance.Features.AnswerFile;

/// <summary>Writes the configuration as an answer file; secrets only when sealed with a passphrase.</summary>
public sealed class AnswerFileExporter(ConfigurationService general, HypervisorService hypervisors, ZoneService zones,
    DatabaseServerService databases, LdapDirectoryService ldap, SmtpServerService smtp, SmsProviderService sms,
    MonitoringEndpointService monitoring, FlowRuleService flows, SecuritySettingsService security, Architecture.ArchitectureTransfer architecture)
{
    public async Task<AnswerFileDocument> ExportAsync(string? passphrase, CancellationToken ct = default)
    {
        var (document, secrets) = await CollectAsync(ct);
        if (!string.IsNullOrEmpty(passphrase) && secrets.Count > 0)
            document.Secrets = SecretsEnvelope.Seal(secrets, passphrase);
        return document;
    }

    /// <summary>The configuration without secrets, and its secrets in clear keyed by path ("hypervisors[0].password").</summary>
    public async Task<(AnswerFileDocument Document, Dictionary<string, string> Secrets)> CollectAsync(CancellationToken ct = default)
    {
        var secrets = new Dictionary<string, string>();
        var settings = await general.GetGeneralAsync(ct);
        var (securitySettings, securitySecrets) = await security.ExportAsync(ct);
        foreach (var (field, value) in securitySecrets)
            secrets[$"security.{field}"] = value;
        var document = new AnswerFileDocument
        {
            General = settings.Version == 0 ? null : settings,
            Hypervisors = await CollectAsync(hypervisors, ItemKinds.Hypervisors.Collection, secrets, ct),
            Zones = await CollectAsync(zones, ItemKinds.Zones.Collection, secrets, ct),
            Databases = await CollectAsync(databases, ItemKinds.Databases.Collection, secrets, ct),
            Ldap = await CollectAsync(ldap, ItemKinds.Ldap.Collection, secrets, ct),
            Smtp = await CollectAsync(smtp, ItemKinds.Smtp.Collection, secrets, ct),
            SmsProviders = await CollectAsync(sms, ItemKinds.Sms.Collection, secrets, ct),
            Monitoring = await CollectAsync(monitoring, ItemKinds.Monitoring.Collection, secrets, ct),
            Flows = await CollectAsync(flows, ItemKinds.Flows.Collection, secrets, ct),
            Security = securitySettings,
            VirtualMachines = await architecture.ExportAsync(ct),
        };
        return (document, secrets);
    }

    private static async Task<List<TDto>> CollectAsync<TEntity, TDto>(ConfigCollectionService<TEntity, TDto> service, string path,
        Dictionary<string, string> secrets, CancellationToken ct)
        where TEntity : class, IConfigEntity, new()
        where TDto : class, IConfigDto
    {
        var items = await service.ExportAsync(ct);
        for (var i = 0; i < items.Count; i++)
            foreach (var (field, value) in items[i].Secrets)
                secrets[$"{path}[{i}].{field}"] = value;
        return [.. items.Select(i => i.Item)];
    }
}
