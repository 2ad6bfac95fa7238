using System.Text.RegularExpressions;
using Runner.Appliance.Features.Services;
using Runner.Appliance.Validation;

namespace Runner.Appliance.Features.SecuritySettings;

/// <summary>Rules of the security step. Key material is parsed, not just checked for presence.</summary>
public static partial class SecuritySettingsValidator
{
    /// <param name="privateKeyPem">the TLS key that will be stored after this save (new or kept), in clear</param>
    /// <param name="sshKey">the SSH private key that will be stored, in clear</param>
    /// <param name="sshPassphrase">its passphrase, if any</param>
    /// <param name="proxyPassword">the proxy password that will be stored, in clear</param>
    public static FieldErrors Validate(SecuritySettingsDto input, string? privateKeyPem, string? sshKey, string? sshPassphrase, string? proxyPassword, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        if (input.ProxyEnabled)
        {
            CheckProxyUrl(errors, "httpProxy", "HTTP proxy", input.HttpProxy, required: true);
            CheckProxyUrl(errors, "httpsProxy", "HTTPS proxy", input.HttpsProxy, required: false);
            CheckProxyLogin(errors, input.ProxyUsername?.Trim(), proxyPassword);
            foreach (var entry in (input.NoProxy ?? []).Select(e => e.Trim()).Where(e => e.Length > 0))
                if (!IsNoProxyEntry(entry))
                    errors.Add("noProxy", $"No-proxy entry '{entry}' is not a host, a domain (.example.local), an IPv4 address or a CIDR network.");
            foreach (var twice in (input.NoProxy ?? []).Select(e => e.Trim()).Where(e => e.Length > 0).GroupBy(e => e, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
                errors.Add("noProxy", $"No-proxy entry '{twice.Key}' is listed {twice.Count()} times; list each once.");
        }

        if (input.TlsMode == TlsMode.Upload)
        {
            if (string.IsNullOrWhiteSpace(input.CertificatePem))
                errors.Add("certificatePem", "Certificate is required when uploading one: paste the PEM certificate, leaf first, then intermediates.");
            else if (privateKeyPem is null)
                errors.Add("privateKey", "Private key is required with an uploaded certificate: paste its unencrypted PEM key.");
            else if (KeyMaterial.CertificateProblem(input.CertificatePem, privateKeyPem, now) is { } problem)
                errors.Add(problem.Contains("private key", StringComparison.Ordinal) ? "privateKey" : "certificatePem", $"The certificate {problem}.");
        }

        if (!string.IsNullOrWhiteSpace(input.TrustedCaPem) && KeyMaterial.AuthoritiesProblem(input.TrustedCaPem) is { } caProblem)
            errors.Add("trustedCaPem", $"Site CA certificates {caProblem}.");

        var user = input.DeploymentUser?.Trim();
        if (string.IsNullOrEmpty(user))
            errors.Add("deploymentUser", "Deployment user is required: the Linux account Ansible uses on the VMs (e.g. runner).");
        else if (!UserPattern().IsMatch(user) || user == "root")
            errors.Add("deploymentUser", $"Deployment user '{user}' is not valid; expected a Linux user name other than root: lowercase letters, digits, '_' or '-', starting with a letter, at most 32 characters.");

        if (sshKey is null)
            errors.Add("sshPrivateKey", "SSH private key of the deployment user is required: paste it (OpenSSH or PEM).");
        else if (KeyMaterial.SshKeyProblem(sshKey, sshPassphrase) is { } problem)
            errors.Add(problem.Contains("passphrase", StringComparison.Ordinal) && !problem.StartsWith("is encrypted", StringComparison.Ordinal) ? "sshPassphrase" : "sshPrivateKey",
                $"The SSH private key {problem}.");
        return errors;
    }

    private static void CheckProxyUrl(FieldErrors errors, string field, string label, string? url, bool required)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            if (required)
                errors.Add(field, $"{label} is required when the proxy is on, e.g. http://proxy.example.local:3128.");
        }
        // Checked first, and the URL is not repeated: the message would show the password.
        else if (ProxyUrl.CarriesLogin(url))
            errors.Add(field, $"{label} URL must not carry a login (user:password@): give only scheme, host and port, e.g. http://proxy.example.local:3128, "
                + "and enter the login in the proxy user name and proxy password fields, where the password is stored encrypted.");
        else if (!NetworkRules.IsUrl(url, "http", "https"))
            errors.Add(field, $"{label} '{url.Trim()}' is not an http(s) URL; expected e.g. http://proxy.example.local:3128.");
    }

    private static void CheckProxyLogin(FieldErrors errors, string? user, string? password)
    {
        if (string.IsNullOrEmpty(user))
        {
            if (password is not null)
                errors.Add("proxyUsername", "Proxy user name is required with a proxy password: the proxy login is a user name and a password (Basic); "
                    + "clear the password for a proxy that asks for no login.");
        }
        else if (user.Contains(':', StringComparison.Ordinal) || user.Any(char.IsControl))
            errors.Add("proxyUsername", "Proxy user name must not contain ':' or control characters (a Basic login cannot carry them).");
        else if (password is null)
            errors.Add("proxyPassword", $"Password for proxy user '{user}' is required.");
    }

    private static bool IsNoProxyEntry(string entry) =>
        Ipv4.TryParse(entry, out _) || Ipv4Network.TryParse(entry, out _, out _) || NetworkRules.IsHostName(entry.TrimStart('.')) || entry == "localhost";

    [GeneratedRegex("^[a-z_][a-z0-9_-]{0,31}$")]
    private static partial Regex UserPattern();
}
