using System.Text.Json.Serialization;
using Runner.Appliance.Features.Configuration;
using Runner.Appliance.Features.Flows;
using Runner.Appliance.Features.Hypervisors;
using Runner.Appliance.Features.SecuritySettings;
using Runner.Appliance.Features.Services;
using Runner.Appliance.Features.Zones;

namespace Runner.Appliance.Features.AnswerFile;

/// <summary>
/// The whole deployment configuration as one versioned document: prepared at the office,
/// imported on site. Secrets are left out unless exported with a passphrase, and then travel
/// only inside <see cref="Secrets"/>, encrypted.
/// </summary>
public sealed class AnswerFileDocument
{
    public const int CurrentSchemaVersion = 1;

    [JsonRequired]
    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    [JsonRequired]
    public GeneralSettingsDto? General { get; set; }

    [JsonRequired]
    public List<HypervisorDto> Hypervisors { get; set; } = [];

    [JsonRequired]
    public List<ZoneDto> Zones { get; set; } = [];

    [JsonRequired]
    public List<DatabaseServerDto> Databases { get; set; } = [];

    [JsonRequired]
    public List<LdapDirectoryDto> Ldap { get; set; } = [];

    [JsonRequired]
    public List<SmtpServerDto> Smtp { get; set; } = [];

    [JsonRequired]
    public List<SmsProviderDto> SmsProviders { get; set; } = [];

    [JsonRequired]
    public List<MonitoringEndpointDto> Monitoring { get; set; } = [];

    [JsonRequired]
    public List<FlowRuleDto> Flows { get; set; } = [];

    [JsonRequired]
    public SecuritySettingsDto? Security { get; set; }

    /// <summary>The generated VMs with their hand edits, so that those travel with the configuration.</summary>
    [JsonRequired]
    public List<Architecture.VirtualMachineEntry> VirtualMachines { get; set; } = [];

    /// <summary>Present only when exported with a passphrase.</summary>
    public EncryptedSecrets? Secrets { get; set; }
}

/// <summary>AES-256-GCM over a JSON map of secret paths to values, key from PBKDF2-SHA256 of the passphrase.</summary>
public sealed class EncryptedSecrets
{
    public string Algorithm { get; set; } = "AES-256-GCM/PBKDF2-SHA256";
    public int Iterations { get; set; }
    public string Salt { get; set; } = "";
    public string Nonce { get; set; } = "";
    [Validation.TextLimit(4 * 1024 * 1024)]
    public string Ciphertext { get; set; } = "";
    public string Tag { get; set; } = "";
}
