using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;
using Runner.Appliance.Features.Audit;
using Runner.Appliance.Features.Configuration.Collections;
using Runner.Appliance.Security;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Services;

/// <summary>The SMTP relays of the deployment.</summary>
public sealed class SmtpServerService(IDbContextFactory<ApplianceDb> dbFactory, AuditLog audit, TimeProvider clock, ISecretProtector protector)
    : ConfigCollectionService<SmtpServer, SmtpServerDto>(dbFactory, audit, clock)
{
    public const string PasswordPurpose = "smtp/password";

    public override string Noun => "SMTP server";

    public override SmtpServerDto ToDto(SmtpServer s) => new()
    {
        Id = s.Id, Alias = s.Alias, Host = s.Host, Port = s.Port, TlsMode = s.TlsMode, Username = s.Username,
        PasswordSet = s.PasswordCiphertext is not null, FromAddress = s.FromAddress,
        Version = s.Version, UpdatedBy = s.UpdatedBy, UpdatedAt = s.UpdatedAt,
    };

    public override FieldErrors Validate(SmtpServerDto input, IReadOnlyList<SmtpServerDto> others, SmtpServer? current = null)
    {
        var errors = new FieldErrors();
        ServiceRules.CheckAlias(errors, input.Alias, others.Select(o => o.Alias), "SMTP server");
        ServiceRules.CheckHost(errors, input.Host, "SMTP server");
        ServiceRules.CheckPort(errors, input.Port, SmtpServerDto.DefaultPort(input.TlsMode));
        var stored = current?.PasswordCiphertext is not null;
        if (!string.IsNullOrWhiteSpace(input.Username))
            ServiceRules.RequireSecret(errors, input.Password, stored, "password", $"Password for SMTP user '{input.Username.Trim()}'");
        else if (input.Password is { NewValue.Length: > 0 })
            errors.Add("username", "User name is required when a password is given; leave both empty for a relay without authentication.");
        // Emptying the user name must not drop a stored password unseen: it is cleared on purpose, or the user name stays.
        else if (stored && input.Password is not { Clear: true })
            errors.Add("username", "User name is required while a password is stored: SMTP AUTH needs both; clear the password too for a relay without authentication.");
        var from = input.FromAddress?.Trim();
        if (string.IsNullOrEmpty(from))
            errors.Add("fromAddress", "From address is required, e.g. runner@example.local.");
        else if (!NetworkRules.IsEmail(from))
            errors.Add("fromAddress", $"From address '{from}' is not an e-mail address; expected name@domain, e.g. runner@example.local.");
        return errors;
    }

    protected override IReadOnlyDictionary<string, string> RevealSecrets(SmtpServer entity) =>
        entity.PasswordCiphertext is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["password"] = protector.Unprotect(PasswordPurpose, entity.PasswordCiphertext) };

    protected override string NameOf(SmtpServer entity) => entity.Alias;

    protected override void Apply(SmtpServerDto input, SmtpServer s)
    {
        s.Alias = input.Alias!.Trim();
        s.Host = input.Host!.Trim();
        s.TlsMode = input.TlsMode;
        s.Port = input.Port ?? SmtpServerDto.DefaultPort(input.TlsMode);
        var authenticated = !string.IsNullOrWhiteSpace(input.Username);
        s.Username = authenticated ? input.Username!.Trim() : null;
        s.PasswordCiphertext = authenticated ? (input.Password ?? SecretInput.Keep).ApplyTo(s.PasswordCiphertext, protector, PasswordPurpose) : null;
        s.FromAddress = input.FromAddress!.Trim();
    }
}
