using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;
using Runner.Appliance.Features.Audit;
using Runner.Appliance.Features.Configuration;
using Runner.Appliance.Features.Flows;
using Runner.Appliance.Features.Hypervisors;
using Runner.Appliance.Features.SecuritySettings;
using Runner.Appliance.Features.Services;
using Runner.Appliance.Features.Zones;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.AnswerFile;

/// <summary>
/// Imports an answer file: the whole document is checked first, with the validators the forms
/// use, and every problem is reported with its JSON path; only a clean document replaces the
/// configuration, in one transaction. Secrets missing from the document are left to be typed on
/// site (the Review step lists them).
/// </summary>
public sealed class AnswerFileImporter(IDbContextFactory<ApplianceDb> dbFactory, ConfigurationService general, HypervisorService hypervisors,
    ZoneService zones, DatabaseServerService databases, LdapDirectoryService ldap, SmtpServerService smtp, SmsProviderService sms,
    MonitoringEndpointService monitoring, FlowRuleService flows, SecuritySettingsService security, AuditLog audit, TimeProvider clock,
    Architecture.SizingFile sizing, Architecture.ArchitectureTransfer architecture)
{
    public async Task<Outcome> ImportAsync(string json, string? passphrase, string actor, CancellationToken ct = default)
    {
        AnswerFileDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<AnswerFileDocument>(json, AnswerFileJson.Options);
        }
        catch (JsonException ex)
        {
            return Outcome.Invalid(ex.Path ?? "$", $"The answer file does not follow schema version {AnswerFileDocument.CurrentSchemaVersion} here: {ex.Message.Split(" Path:")[0]}");
        }
        if (document is null)
            return Outcome.Invalid("$", "The answer file is empty.");
        if (document.SchemaVersion != AnswerFileDocument.CurrentSchemaVersion)
            return Outcome.Invalid("$.schemaVersion", $"Schema version {document.SchemaVersion} is not supported; this appliance reads version {AnswerFileDocument.CurrentSchemaVersion}.");

        var errors = new FieldErrors();
        var provided = OpenSecrets(document, passphrase, errors);
        if (!errors.IsEmpty)
            return Outcome.Invalid(errors);
        Validate(document, provided, errors);
        if (!errors.IsEmpty)
            return Outcome.Invalid(errors);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await general.ReplaceAsync(db, document.General, actor, ct);
        await hypervisors.ReplaceAllAsync(db, document.Hypervisors, actor, ct);
        await zones.ReplaceAllAsync(db, document.Zones, actor, ct);
        await databases.ReplaceAllAsync(db, document.Databases, actor, ct);
        await ldap.ReplaceAllAsync(db, document.Ldap, actor, ct);
        await smtp.ReplaceAllAsync(db, document.Smtp, actor, ct);
        await sms.ReplaceAllAsync(db, document.SmsProviders, actor, ct);
        await monitoring.ReplaceAllAsync(db, document.Monitoring, actor, ct);
        await flows.ReplaceAllAsync(db, document.Flows, actor, ct);
        await security.ReplaceAsync(db, document.Security, actor, ct);
        await architecture.ReplaceAllAsync(db, document.VirtualMachines, document.General?.ConcurrentUsers ?? 0, document.General?.Products ?? [], actor, ct);
        audit.Append(db, actor, "answer file", "configuration", "imported", provided.Count > 0 ? ["secrets"] : []);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return Outcome.Ok;
    }

    private static HashSet<string> OpenSecrets(AnswerFileDocument document, string? passphrase, FieldErrors errors)
    {
        if (document.Secrets is null)
            return [];
        if (string.IsNullOrEmpty(passphrase))
        {
            errors.Add("$.secrets", "This answer file carries encrypted secrets: give the passphrase it was exported with.");
            return [];
        }
        var secrets = SecretsEnvelope.Open(document.Secrets, passphrase);
        if (secrets is null)
        {
            errors.Add("$.secrets", "The passphrase does not open this answer file's secrets; check it (it is case-sensitive).");
            return [];
        }
        foreach (var (path, value) in secrets)
            if (!Place(document, path, value))
                errors.Add("$.secrets", $"The secret for '{path}' has no matching item in the document.");
        return [.. secrets.Keys];
    }

    /// <summary>Puts a secret ("zones[2].password", "security.sshPrivateKey") on its item as a new value.</summary>
    private static bool Place(AnswerFileDocument document, string path, string value)
    {
        var dot = path.LastIndexOf('.');
        if (dot < 0)
            return false;
        var (owner, field) = (path[..dot], path[(dot + 1)..]);
        object? target = owner == "security" ? document.Security : null;
        if (owner.EndsWith(']') && owner.IndexOf('[') is var open and > 0 && int.TryParse(owner[(open + 1)..^1], out var index))
            target = Collection(document, owner[..open]) is { } list && index < list.Count ? list[index] : null;
        if (target is null || !AnswerFileJson.SecretFields(target.GetType()).Contains(field))
            return false;
        AnswerFileJson.SetSecret(target, field, value);
        return true;
    }

    private static System.Collections.IList? Collection(AnswerFileDocument d, string name) => name switch
    {
        "hypervisors" => d.Hypervisors, "zones" => d.Zones, "databases" => d.Databases, "ldap" => d.Ldap, "smtp" => d.Smtp,
        "smsProviders" => d.SmsProviders, "monitoring" => d.Monitoring, "flows" => d.Flows, _ => null,
    };

    private void Validate(AnswerFileDocument d, HashSet<string> provided, FieldErrors errors)
    {
        if (d.General is not null)
            Report(errors, "$.general", GeneralSettingsValidator.Validate(d.General), [], "general", provided);
        Check(errors, d.Hypervisors, "hypervisors", provided, (item, others) => HypervisorValidator.Validate(item, others, passwordStored: false));
        var hypervisorAliases = d.Hypervisors.Select(h => h.Alias?.Trim() ?? "").ToList();
        Check(errors, d.Zones, "zones", provided, (item, others) => ZoneValidator.Validate(item, others, hypervisorAliases));
        Check(errors, d.Databases, "databases", provided, (item, others) => databases.Validate(item, others));
        Check(errors, d.Ldap, "ldap", provided, (item, others) => ldap.Validate(item, others));
        Check(errors, d.Smtp, "smtp", provided, (item, others) => smtp.Validate(item, others));
        Check(errors, d.SmsProviders, "smsProviders", provided, (item, others) => sms.Validate(item, others));
        Check(errors, d.Monitoring, "monitoring", provided, (item, others) => monitoring.Validate(item, others));
        var zoneNames = d.Zones.Select(z => z.Name?.Trim() ?? "").ToList();
        Check(errors, d.Flows, "flows", provided, (item, others) => FlowRuleValidator.Validate(item, others, zoneNames, sizing.Rules));
        architecture.Validate(d.VirtualMachines, d.Zones, d.Hypervisors, errors);
        if (d.Security is { } s)
            Report(errors, "$.security", SecuritySettingsValidator.Validate(s, s.PrivateKey?.NewValue, s.SshPrivateKey?.NewValue, s.SshPassphrase?.NewValue,
                    s.ProxyPassword?.NewValue, clock.GetUtcNow()),
                AnswerFileJson.SecretFields(typeof(SecuritySettingsDto)), "security", provided);
    }

    private static void Check<TDto>(FieldErrors errors, List<TDto> items, string name, HashSet<string> provided, Func<TDto, IReadOnlyList<TDto>, FieldErrors> validate)
    {
        var secretFields = AnswerFileJson.SecretFields(typeof(TDto));
        for (var i = 0; i < items.Count; i++)
        {
            var others = items.Where((_, j) => j != i).ToList();
            Report(errors, $"$.{name}[{i}]", validate(items[i], others), secretFields, $"{name}[{i}]", provided);
        }
    }

    // A required secret that the document does not carry is not an error: it is typed on site.
    private static void Report(FieldErrors errors, string path, FieldErrors found, IReadOnlyList<string> secretFields, string secretPrefix, HashSet<string> provided)
    {
        foreach (var field in found.Fields)
            if (!(secretFields.Contains(field) && !provided.Contains($"{secretPrefix}.{field}")))
                errors.Add($"{path}.{field}", found.For(field)!);
    }
}
