using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;
using Runner.Appliance.Features.Audit;
using Runner.Appliance.Security;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.SecuritySettings;

/// <summary>Reads and saves the security step. Keys are parsed in memory and stored only as ciphertext.</summary>
public sealed class SecuritySettingsService(IDbContextFactory<ApplianceDb> dbFactory, ISecretProtector protector, AuditLog audit, TimeProvider clock)
{
    private const string TlsKeyPurpose = "tls/private-key";
    private const string SshKeyPurpose = "ssh/private-key";
    private const string SshPassphrasePurpose = "ssh/passphrase";
    public const string ProxyPasswordPurpose = "proxy/password";

    public async Task<SecuritySettingsDto> GetAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.SecuritySettings.AsNoTracking().SingleOrDefaultAsync(ct);
        return row is null ? new SecuritySettingsDto { DeploymentUser = "runner" } : ToDto(row);
    }

    /// <summary>The stored settings checked again (a certificate may have expired since): what the Review step lists.</summary>
    public async Task<FieldErrors?> ReviewAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.SecuritySettings.AsNoTracking().SingleOrDefaultAsync(ct);
        if (row is null)
            return null;
        return SecuritySettingsValidator.Validate(ToDto(row), Reveal(null, row.PrivateKeyCiphertext, TlsKeyPurpose),
            Reveal(null, row.SshPrivateKeyCiphertext, SshKeyPurpose), Reveal(null, row.SshPassphraseCiphertext, SshPassphrasePurpose),
            Reveal(null, row.ProxyPasswordCiphertext, ProxyPasswordPurpose), clock.GetUtcNow());
    }

    public async Task<Outcome> SaveAsync(SecuritySettingsDto input, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.SecuritySettings.SingleOrDefaultAsync(ct);
        if (row is not null && row.Version != input.Version)
            return Outcome.Conflict($"The security settings were changed by {row.UpdatedBy ?? "another user"} at {row.UpdatedAt:yyyy-MM-dd HH:mm} UTC; reload before saving.");
        var current = row ?? new SecuritySettings();
        if (input.Pfx?.NewValue is { Length: > 0 } pfx)
        {
            if (Pkcs12Import.Convert(pfx, input.PfxPassword?.NewValue, out var pfxProblem) is not { } pem)
                return Outcome.Invalid("pfx", pfxProblem!);
            (input.TlsMode, input.CertificatePem, input.PrivateKey) = (TlsMode.Upload, pem.CertificatePem, new SecretInput(pem.KeyPem));
        }

        var tlsKey = Reveal(input.PrivateKey, current.PrivateKeyCiphertext, TlsKeyPurpose);
        var sshKey = Reveal(input.SshPrivateKey, current.SshPrivateKeyCiphertext, SshKeyPurpose);
        var passphrase = Reveal(input.SshPassphrase, current.SshPassphraseCiphertext, SshPassphrasePurpose);
        var proxyPassword = Reveal(input.ProxyPassword, current.ProxyPasswordCiphertext, ProxyPasswordPurpose);
        var errors = TextRules.Check(input, SecuritySettingsValidator.Validate(input, tlsKey, sshKey, passphrase, proxyPassword, clock.GetUtcNow()));
        if (!errors.IsEmpty)
            return Outcome.Invalid(errors);

        var before = row is null ? null : ToDto(row);
        if (row is null)
            db.SecuritySettings.Add(row = current);
        Apply(input, row, actor);
        row.SshPublicKey = sshKey is null ? null : await SshKeys.PublicKeyOfAsync(sshKey, passphrase, ct);
        audit.Append(db, actor, "security settings", "security", row.Version == 1 ? "created" : "updated", AuditLog.ChangedFields(before, ToDto(row), input));
        try
        {
            await db.SaveChangesAsync(ct);
            return Outcome.Ok;
        }
        catch (DbUpdateException)
        {
            return Outcome.Conflict("The security settings were changed by another user while you edited them; reload before saving.");
        }
    }

    /// <summary>The stored settings and their secrets in clear (answer-file export); null when never saved.</summary>
    public async Task<(SecuritySettingsDto? Settings, IReadOnlyDictionary<string, string> Secrets)> ExportAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.SecuritySettings.AsNoTracking().SingleOrDefaultAsync(ct);
        if (row is null)
            return (null, new Dictionary<string, string>());
        var secrets = new Dictionary<string, string>();
        foreach (var (field, ciphertext, purpose) in new[]
                 {
                     ("privateKey", row.PrivateKeyCiphertext, TlsKeyPurpose), ("sshPrivateKey", row.SshPrivateKeyCiphertext, SshKeyPurpose),
                     ("sshPassphrase", row.SshPassphraseCiphertext, SshPassphrasePurpose), ("proxyPassword", row.ProxyPasswordCiphertext, ProxyPasswordPurpose),
                 })
            if (ciphertext is not null)
                secrets[field] = protector.Unprotect(purpose, ciphertext);
        return (ToDto(row), secrets);
    }

    /// <summary>Replaces the settings inside <paramref name="db"/>'s transaction (validated answer-file import).</summary>
    public async Task ReplaceAsync(ApplianceDb db, SecuritySettingsDto? input, string actor, CancellationToken ct)
    {
        db.SecuritySettings.RemoveRange(await db.SecuritySettings.ToListAsync(ct));
        if (input is not null)
        {
            var row = new SecuritySettings();
            Apply(input, row, actor);
            if (input.SshPrivateKey?.NewValue is { } key)
                row.SshPublicKey = await SshKeys.PublicKeyOfAsync(key, input.SshPassphrase?.NewValue, ct);
            db.SecuritySettings.Add(row);
        }
    }

    private void Apply(SecuritySettingsDto input, SecuritySettings row, string actor)
    {
        row.ProxyEnabled = input.ProxyEnabled;
        row.HttpProxy = input.ProxyEnabled ? input.HttpProxy?.Trim() : null;
        row.HttpsProxy = input.ProxyEnabled && !string.IsNullOrWhiteSpace(input.HttpsProxy) ? input.HttpsProxy.Trim() : null;
        row.NoProxy = input.ProxyEnabled ? [.. (input.NoProxy ?? []).Select(e => e.Trim()).Where(e => e.Length > 0)] : [];
        // Switching the proxy off forgets its login with its URLs, as one explicit choice (and audited).
        row.ProxyUsername = input.ProxyEnabled && !string.IsNullOrWhiteSpace(input.ProxyUsername) ? input.ProxyUsername.Trim() : null;
        row.ProxyPasswordCiphertext = input.ProxyEnabled ? (input.ProxyPassword ?? SecretInput.Keep).ApplyTo(row.ProxyPasswordCiphertext, protector, ProxyPasswordPurpose) : null;
        row.TlsMode = input.TlsMode;
        row.TrustedCaPem = string.IsNullOrWhiteSpace(input.TrustedCaPem) ? null : KeyMaterial.SplitPemBlocks(input.TrustedCaPem);
        row.CertificatePem = input.TlsMode == TlsMode.Upload ? input.CertificatePem!.Trim() : null;
        row.PrivateKeyCiphertext = input.TlsMode == TlsMode.Upload ? (input.PrivateKey ?? SecretInput.Keep).ApplyTo(row.PrivateKeyCiphertext, protector, TlsKeyPurpose) : null;
        row.DeploymentUser = input.DeploymentUser!.Trim();
        row.SshPrivateKeyCiphertext = (input.SshPrivateKey ?? SecretInput.Keep).ApplyTo(row.SshPrivateKeyCiphertext, protector, SshKeyPurpose);
        row.SshPassphraseCiphertext = (input.SshPassphrase ?? SecretInput.Keep).ApplyTo(row.SshPassphraseCiphertext, protector, SshPassphrasePurpose);
        row.Version++;
        row.UpdatedBy = actor;
        row.UpdatedAt = clock.GetUtcNow();
    }

    private string? Reveal(SecretInput? input, string? stored, string purpose) => (input ?? SecretInput.Keep).Reveal(stored, protector, purpose);

    private static SecuritySettingsDto ToDto(SecuritySettings s) => new()
    {
        // WithoutLogin: a login left in a stored URL (an earlier version took it there) is never shown, exported or handed to a role.
        ProxyEnabled = s.ProxyEnabled, HttpProxy = ProxyUrl.WithoutLogin(s.HttpProxy), HttpsProxy = ProxyUrl.WithoutLogin(s.HttpsProxy), NoProxy = [.. s.NoProxy],
        ProxyUsername = s.ProxyUsername, ProxyPasswordSet = s.ProxyPasswordCiphertext is not null,
        TlsMode = s.TlsMode, CertificatePem = s.CertificatePem, TrustedCaPem = s.TrustedCaPem, PrivateKeySet = s.PrivateKeyCiphertext is not null,
        CertificateSummary = s.CertificatePem is null ? null : KeyMaterial.Summary(s.CertificatePem),
        DeploymentUser = s.DeploymentUser, SshPrivateKeySet = s.SshPrivateKeyCiphertext is not null, SshPassphraseSet = s.SshPassphraseCiphertext is not null,
        SshPublicKey = s.SshPublicKey,
        Version = s.Version, UpdatedBy = s.UpdatedBy, UpdatedAt = s.UpdatedAt,
    };
}
