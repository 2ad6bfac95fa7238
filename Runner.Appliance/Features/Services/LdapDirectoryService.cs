using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;
using Runner.Appliance.Features.Audit;
using Runner.Appliance.Features.Configuration.Collections;
using Runner.Appliance.Security;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Services;

/// <summary>The LDAP / Active Directory servers of the deployment.</summary>
public sealed class LdapDirectoryService(IDbContextFactory<ApplianceDb> dbFactory, AuditLog audit, TimeProvider clock, ISecretProtector protector)
    : ConfigCollectionService<LdapDirectory, LdapDirectoryDto>(dbFactory, audit, clock)
{
    public const string PasswordPurpose = "ldap/bind-password";

    public override string Noun => "directory";

    public override LdapDirectoryDto ToDto(LdapDirectory d) => new()
    {
        Id = d.Id, Kind = d.Kind, Alias = d.Alias, Url = d.Url, Port = d.Port, TlsMode = d.TlsMode, BindDn = d.BindDn,
        BindPasswordSet = d.BindPasswordCiphertext is not null, BaseDn = d.BaseDn, UserFilter = d.UserFilter, GroupFilter = d.GroupFilter,
        Version = d.Version, UpdatedBy = d.UpdatedBy, UpdatedAt = d.UpdatedAt,
    };

    public override FieldErrors Validate(LdapDirectoryDto input, IReadOnlyList<LdapDirectoryDto> others, LdapDirectory? current = null)
    {
        var errors = new FieldErrors();
        ServiceRules.CheckAlias(errors, input.Alias, others.Select(o => o.Alias), "directory");
        var url = input.Url?.Trim();
        if (string.IsNullOrEmpty(url))
            errors.Add("url", "URL is required, e.g. ldap://ldap.example.local or ldaps://ad.example.local.");
        else if (!Validation.NetworkRules.IsUrl(url, "ldap", "ldaps"))
            errors.Add("url", $"URL '{url}' is not an LDAP URL; expected ldap://host or ldaps://host.");
        else if (url.StartsWith("ldaps:", StringComparison.OrdinalIgnoreCase) != (input.TlsMode == LdapTlsMode.Ldaps))
            errors.Add("tlsMode", $"TLS mode {input.TlsMode} does not match the URL '{url}': use ldaps:// with LDAPS, ldap:// with None or StartTLS.");
        ServiceRules.CheckPort(errors, input.Port, LdapDirectoryDto.DefaultPort(input.TlsMode));
        CheckDn(errors, input.BindDn, "bindDn", "Bind DN", "cn=svc-runner,ou=services,dc=example,dc=local");
        ServiceRules.RequireSecret(errors, input.BindPassword, current?.BindPasswordCiphertext is not null, "bindPassword", "Bind password");
        CheckDn(errors, input.BaseDn, "baseDn", "Base DN", "dc=example,dc=local");
        if (string.IsNullOrWhiteSpace(input.UserFilter))
            errors.Add("userFilter", "User filter is required, e.g. (objectClass=inetOrgPerson).");
        else if (!LdapRules.IsFilter(input.UserFilter))
            errors.Add("userFilter", $"User filter '{input.UserFilter.Trim()}' is not an LDAP filter; expected a parenthesised expression such as (objectClass=person).");
        if (!string.IsNullOrWhiteSpace(input.GroupFilter) && !LdapRules.IsFilter(input.GroupFilter))
            errors.Add("groupFilter", $"Group filter '{input.GroupFilter.Trim()}' is not an LDAP filter; expected e.g. (objectClass=groupOfNames).");
        return errors;
    }

    protected override IReadOnlyDictionary<string, string> RevealSecrets(LdapDirectory entity) =>
        entity.BindPasswordCiphertext is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["bindPassword"] = protector.Unprotect(PasswordPurpose, entity.BindPasswordCiphertext) };

    protected override string NameOf(LdapDirectory entity) => entity.Alias;

    protected override void Apply(LdapDirectoryDto input, LdapDirectory d)
    {
        d.Kind = input.Kind;
        d.Alias = input.Alias!.Trim();
        d.Url = input.Url!.Trim();
        d.TlsMode = input.TlsMode;
        d.Port = input.Port ?? LdapDirectoryDto.DefaultPort(input.TlsMode);
        d.BindDn = input.BindDn!.Trim();
        d.BindPasswordCiphertext = (input.BindPassword ?? SecretInput.Keep).ApplyTo(d.BindPasswordCiphertext, protector, PasswordPurpose);
        d.BaseDn = input.BaseDn!.Trim();
        d.UserFilter = input.UserFilter!.Trim();
        d.GroupFilter = string.IsNullOrWhiteSpace(input.GroupFilter) ? null : input.GroupFilter.Trim();
    }

    private static void CheckDn(FieldErrors errors, string? dn, string field, string label, string example)
    {
        if (string.IsNullOrWhiteSpace(dn))
            errors.Add(field, $"{label} is required, e.g. {example}.");
        else if (!LdapRules.IsDistinguishedName(dn))
            errors.Add(field, $"{label} '{dn.Trim()}' is not a distinguished name; expected attribute=value pairs separated by commas, e.g. {example}.");
    }
}
