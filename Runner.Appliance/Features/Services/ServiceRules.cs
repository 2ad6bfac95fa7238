using System.Text.RegularExpressions;
using Runner.Appliance.Security;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.Services;

/// <summary>Rules shared by the external services (databases, LDAP, SMTP, SMS, monitoring).</summary>
public static partial class ServiceRules
{
    public static void CheckAlias(FieldErrors errors, string? alias, IEnumerable<string?> otherAliases, string noun)
    {
        alias = alias?.Trim();
        if (string.IsNullOrEmpty(alias))
            errors.Add("alias", $"Alias is required: a short name for this {noun}.");
        else if (!AliasPattern().IsMatch(alias))
            errors.Add("alias", $"Alias '{alias}' is not valid; expected 2 to 32 letters, digits, '-' or '_', starting with a letter.");
        else if (otherAliases.Any(o => string.Equals(o?.Trim(), alias, StringComparison.OrdinalIgnoreCase)))
            errors.Add("alias", $"Alias '{alias}' is already used by another {noun}.");
    }

    public static void CheckHost(FieldErrors errors, string? host, string noun)
    {
        if (string.IsNullOrWhiteSpace(host))
            errors.Add("host", $"Host is required: the {noun}'s address or DNS name.");
        else if (!NetworkRules.IsHost(host.Trim()))
            errors.Add("host", $"Host '{host.Trim()}' is neither an IPv4 address nor a valid DNS name (RFC 1123).");
    }

    public static void CheckPort(FieldErrors errors, int? port, int defaultPort)
    {
        if (port is { } p && !NetworkRules.IsPort(p))
            errors.Add("port", $"Port {p} is out of range; expected 1 to 65535, or leave it empty for the default ({defaultPort}).");
    }

    public static void CheckUrl(FieldErrors errors, string? url, string field, string label, string example)
    {
        if (string.IsNullOrWhiteSpace(url))
            errors.Add(field, $"{label} is required, e.g. {example}.");
        else if (!NetworkRules.IsUrl(url, "http", "https"))
            errors.Add(field, $"{label} '{url.Trim()}' is not an http(s) URL; expected e.g. {example}.");
    }

    /// <summary>A secret that must exist after the save: stored already, or given now, and not being cleared.</summary>
    public static void RequireSecret(FieldErrors errors, SecretInput? input, bool stored, string field, string label)
    {
        var secret = input ?? SecretInput.Keep;
        if (secret.Clear || (!stored && string.IsNullOrEmpty(secret.NewValue)))
            errors.Add(field, $"{label} is required.");
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{1,31}$")]
    private static partial Regex AliasPattern();
}
