using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Runner.Appliance.Data;
using Runner.Appliance.Engine;
using Runner.Appliance.Features.AnswerFile;
using Runner.Appliance.Features.Architecture;
using Runner.Appliance.Features.Configuration.Collections;
using Runner.Appliance.Integrations.Tls;

namespace Runner.Appliance.Features.Preflight;

/// <summary>
/// The configuration a preflight checks, read once: the answer-file document, its secrets in clear
/// keyed by path ("hypervisors[0].password"), the planned VMs, and whether the VMs exist yet.
/// <see cref="TestRecipient"/> is set only by an SMTP server's own test, which then sends a test mail.
/// </summary>
public sealed record PreflightInputs(AnswerFileDocument Configuration, IReadOnlyDictionary<string, string> Secrets,
    IReadOnlyList<VirtualMachineDto> Vms, bool Provisioned, string Fingerprint, string? TestRecipient = null)
{
    /// <summary>The secret <paramref name="field"/> of item <paramref name="index"/> of a collection (hypervisors, 0, "password").</summary>
    public string? Secret(ItemKind kind, int index, string field) => Secrets.GetValueOrDefault($"{kind.Collection}[{index}].{field}");

    private SiteAuthorities? _authorities;

    /// <summary>The site's CA certificates of the security step, trusted besides the system store.</summary>
    public SiteAuthorities Authorities =>
        _authorities ??= SiteAuthorities.FromPem(Configuration.Security?.TrustedCaPem);

    /// <summary>A secret of the security step ("sshPrivateKey", "privateKey", "sshPassphrase", "proxyPassword").</summary>
    public string? SecuritySecret(string field) => Secrets.GetValueOrDefault($"security.{field}");
}

/// <summary>One source of checks (vSphere, Prism, databases, …): turns the configuration into check groups.</summary>
public interface IPreflightSource
{
    IEnumerable<CheckGroup> Groups(PreflightInputs inputs);
}

public sealed class PreflightInputsBuilder(AnswerFileExporter configuration, ArchitectureService architecture, IDbContextFactory<ApplianceDb> dbFactory)
{
    /// <summary>The role that creates the VMs: once it has succeeded, their addresses answer and SSH logins can be tried.</summary>
    public const string ProvisioningRole = "provision-vms";

    public async Task<PreflightInputs> BuildAsync(CancellationToken ct = default)
    {
        var (document, secrets) = await configuration.CollectAsync(ct);
        var vms = await architecture.ListAsync(ct: ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var provisioned = await db.RoleRuns.AnyAsync(r => r.Role == ProvisioningRole && r.Status == RoleStatus.Successful, ct);
        return new PreflightInputs(document, secrets, vms, provisioned, Fingerprint(document, secrets));
    }

    /// <summary>SHA-256 of the configuration and its secrets: any saved change gives another value.</summary>
    public static string Fingerprint(AnswerFileDocument document, IReadOnlyDictionary<string, string> secrets)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(JsonSerializer.SerializeToUtf8Bytes(document, AnswerFileJson.Options));
        foreach (var (path, value) in secrets.OrderBy(s => s.Key, StringComparer.Ordinal))
            hash.AppendData(Encoding.UTF8.GetBytes($"\n{path}={value}"));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
