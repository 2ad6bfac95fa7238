using System.Text.Json.Serialization;
using Runner.Appliance.Security;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.SecuritySettings;

/// <summary>The security step as forms and the API see it; keys, passphrases and the proxy password are write-only.</summary>
public sealed class SecuritySettingsDto
{
    public bool ProxyEnabled { get; set; }
    public string? HttpProxy { get; set; }
    public string? HttpsProxy { get; set; }
    public List<string>? NoProxy { get; set; } = [];

    /// <summary>The proxy login (Basic), for the HTTP and the HTTPS proxy alike; empty when the proxy takes none.</summary>
    public string? ProxyUsername { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SecretInput? ProxyPassword { get; set; }
    public bool ProxyPasswordSet { get; set; }

    public TlsMode TlsMode { get; set; }
    [TextLimit(256 * 1024, multiLine: true)]
    public string? CertificatePem { get; set; }

    /// <summary>The site's CA certificates (PEM), trusted for its servers besides the system store; optional.</summary>
    [TextLimit(256 * 1024, multiLine: true)]
    public string? TrustedCaPem { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SecretInput? PrivateKey { get; set; }
    public bool PrivateKeySet { get; set; }

    /// <summary>Write-only: a PFX / PKCS#12 file, base64; on save it replaces the certificate and key above.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SecretInput? Pfx { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SecretInput? PfxPassword { get; set; }

    /// <summary>Read-only summary of the stored certificate: subject, names, validity.</summary>
    [TextLimit(4096, multiLine: true)]
    public string? CertificateSummary { get; set; }

    public string? DeploymentUser { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SecretInput? SshPrivateKey { get; set; }
    public bool SshPrivateKeySet { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SecretInput? SshPassphrase { get; set; }
    public bool SshPassphraseSet { get; set; }

    /// <summary>Read-only: the public half of the stored key, to put in the VM template's authorized_keys.</summary>
    [TextLimit(16 * 1024)]
    public string? SshPublicKey { get; set; }

    public int Version { get; set; }
    public string? UpdatedBy { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
}
