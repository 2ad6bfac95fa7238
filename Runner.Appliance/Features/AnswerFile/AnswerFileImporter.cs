using Runner.Appliance.Features.Configuration.Collections;
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
/// site (the Review step lists them). The configuration it replaces is kept as a copy.
/// </summary>
public sealed class AnswerFileImporter(IDbContextFactory<ApplianceDb> dbFactory, ConfigurationService general, HypervisorService hypervisors,
    ZoneService zones, DatabaseServerService databases, LdapDirectoryService ldap, SmtpServerService smtp, SmsProviderService sms,
    MonitoringEndpointService monitoring, FlowRuleService flows, SecuritySettingsService security, AuditLog audit, TimeProvider clock,
    Architecture.SizingFile sizing, Architecture.ArchitectureTransfer architecture, ConfigurationCopies copies)
{
    /// <summary>
    /// Imports <paramref name="json"/>. A document with no configuration in it replaces a configuration
    /// only when <paramref name="replaceWithEmpty"/> says so; every import first keeps the current
    /// configuration as a <see cref="ConfigurationCopy"/>.
    /// </summary>
    public async Task<Outcome> ImportAsync(string json, string? passphrase, string actor, bool replaceWithEmpty = false, CancellationToken ct = default)
    {
        var (document, errors) = Read(json);
        if (document is null)
            return Outcome.Invalid(errors);
        var provided = OpenSecrets(document, passphrase, errors);
        if (!errors.IsEmpty)
            return Outcome.Invalid(errors);
        return await ReplaceAsync(document, provided, actor, replaceWithEmpty, "before the import of an answer file", ct);
    }

    /// <summary>Puts back a configuration copy (with its secrets), keeping the current configuration as another copy.</summary>
    public async Task<Outcome> RestoreAsync(int copyId, string actor, CancellationToken ct = default)
    {
        if (await copies.OpenAsync(copyId, ct) is not { } copy)
            return Outcome.NotFound($"There is no configuration copy {copyId}.");
        var errors = new FieldErrors();
        var provided = PlaceAll(copy.Document, copy.Secrets, errors);
        return errors.IsEmpty
            ? await ReplaceAsync(copy.Document, provided, actor, replaceWithEmpty: true, $"before the restore of copy {copyId}", ct)
            : Outcome.Invalid(errors);
    }

    /// <summary>The document, or every reason it cannot be read: the version first, then every field against the schema.</summary>
    private static (AnswerFileDocument? Document, FieldErrors Errors) Read(string json)
    {
        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            return (null, FieldErrors.Single("$", JsonShape.Broken(e)));
        }
        using (parsed)
        {
            var root = parsed.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return (null, FieldErrors.Single("$", $"An answer file is a JSON object with schemaVersion {AnswerFileDocument.CurrentSchemaVersion} and the configuration's sections."));
            if (!root.TryGetProperty("schemaVersion", out var version))
                return (null, FieldErrors.Single("$.schemaVersion", $"Missing: an answer file names its schema version ({AnswerFileDocument.CurrentSchemaVersion} for this appliance)."));
            if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var number) || number != AnswerFileDocument.CurrentSchemaVersion)
                return (null, FieldErrors.Single("$.schemaVersion", $"Schema version {version.GetRawText()} is not supported; this appliance reads version {AnswerFileDocument.CurrentSchemaVersion}."));
            var errors = JsonShape.Check(root, typeof(AnswerFileDocument), AnswerFileJson.Options, "$");
            if (!errors.IsEmpty)
                return (null, errors);
            try
            {
                return (root.Deserialize<AnswerFileDocument>(AnswerFileJson.Options), errors);
            }
            catch (JsonException e)
            {
                return (null, FieldErrors.Single(e.Path ?? "$", $"The answer file does not follow schema version {AnswerFileDocument.CurrentSchemaVersion} here: {e.Message.Split(" Path:")[0]}"));
            }
        }
    }

    private async Task<Outcome> ReplaceAsync(AnswerFileDocument document, HashSet<string> provided, string actor, bool replaceWithEmpty, string reason, CancellationToken ct)
    {
        var errors = new FieldErrors();
        Validate(document, provided, errors);
        if (!errors.IsEmpty)
            return Outcome.Invalid(errors);
        var current = await copies.CollectAsync(ct);
        if (ConfigurationCopies.IsEmpty(document) && !ConfigurationCopies.IsEmpty(current.Document) && !replaceWithEmpty)
            return Outcome.Conflict($"This answer file holds no configuration: importing it would delete the current one ({ConfigurationCopies.Summarize(current.Document)}). " +
                                    "To do that on purpose, import it again with replaceWithEmpty=true; the current configuration is then kept as a copy you can restore.");

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var copy = copies.Keep(db, current, actor, reason);
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
        await copies.PruneAsync(db, ct);
        await transaction.CommitAsync(ct);
        return Outcome.Ok with { Message = copy is null ? null : $"The previous configuration ({copy.Summary}) is kept as a copy you can restore." };
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
        return PlaceAll(document, secrets, errors);
    }

    private static HashSet<string> PlaceAll(AnswerFileDocument document, IReadOnlyDictionary<string, string> secrets, FieldErrors errors)
    {
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
        _ when name == ItemKinds.Hypervisors.Collection => d.Hypervisors, _ when name == ItemKinds.Zones.Collection => d.Zones,
        _ when name == ItemKinds.Databases.Collection => d.Databases, _ when name == ItemKinds.Ldap.Collection => d.Ldap,
        _ when name == ItemKinds.Smtp.Collection => d.Smtp, _ when name == ItemKinds.Sms.Collection => d.SmsProviders,
        _ when name == ItemKinds.Monitoring.Collection => d.Monitoring, _ when name == ItemKinds.Flows.Collection => d.Flows, _ => null,
    };

    private void Validate(AnswerFileDocument d, HashSet<string> provided, FieldErrors errors)
    {
        if (d.General is not null)
            Report(errors, "$.general", GeneralSettingsValidator.Validate(d.General), [], "general", provided);
        Check(errors, d.Hypervisors, ItemKinds.Hypervisors.Collection, provided, (item, others) => HypervisorValidator.Validate(item, others, passwordStored: false));
        var hypervisorAliases = d.Hypervisors.Select(h => h.Alias?.Trim() ?? "").ToList();
        Check(errors, d.Zones, ItemKinds.Zones.Collection, provided, (item, others) => ZoneValidator.Validate(item, others, hypervisorAliases));
        Check(errors, d.Databases, ItemKinds.Databases.Collection, provided, (item, others) => databases.Validate(item, others));
        Check(errors, d.Ldap, ItemKinds.Ldap.Collection, provided, (item, others) => ldap.Validate(item, others));
        Check(errors, d.Smtp, ItemKinds.Smtp.Collection, provided, (item, others) => smtp.Validate(item, others));
        Check(errors, d.SmsProviders, ItemKinds.Sms.Collection, provided, (item, others) => sms.Validate(item, others));
        Check(errors, d.Monitoring, ItemKinds.Monitoring.Collection, provided, (item, others) => monitoring.Validate(item, others));
        var zoneNames = d.Zones.Select(z => z.Name?.Trim() ?? "").ToList();
        Check(errors, d.Flows, ItemKinds.Flows.Collection, provided, (item, others) => FlowRuleValidator.Validate(item, others, zoneNames, sizing.Rules));
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
