using Microsoft.Extensions.Options;
using Runner.Appliance.Features.Configuration.Collections;
using Runner.Appliance.Features.Services;

namespace Runner.Appliance.Features.Preflight.Ldap;

/// <summary>
/// Checks each configured directory (OpenLDAP or Active Directory): it answers, TLS as configured,
/// the bind DN binds, the base DN exists, the user (and group) filter find entries.
/// </summary>
/// <remarks>The folder is Ldap, not Directory: a namespace named Directory would hide System.IO.Directory from the whole Preflight namespace.</remarks>
public sealed class LdapChecks(IOptions<PreflightOptions> options) : IPreflightSource
{
    public IEnumerable<CheckGroup> Groups(PreflightInputs inputs) =>
        inputs.Configuration.Ldap.Select((dto, i) =>
            new LdapCheckGroup(LdapTarget.From(dto), dto, inputs.Secret(ItemKinds.Ldap, i, "bindPassword"), options.Value.CheckTimeout, inputs.Authorities));
}

/// <summary>Where a directory is: host, port and TLS mode from its URL, port and mode fields.</summary>
internal sealed record LdapTarget(string Host, int Port, LdapTlsMode Mode)
{
    public string Endpoint => $"{Host}:{Port}";

    public static LdapTarget From(LdapDirectoryDto dto)
    {
        var url = (dto.Url ?? "").Trim();
        Uri.TryCreate(url.Contains("://", StringComparison.Ordinal) ? url : $"ldap://{url}", UriKind.Absolute, out var uri);
        var mode = string.Equals(uri?.Scheme, "ldaps", StringComparison.OrdinalIgnoreCase) ? LdapTlsMode.Ldaps : dto.TlsMode;
        var port = dto.Port is { } given and not 0 ? given
            : uri is { IsDefaultPort: false, Port: > 0 } ? uri.Port
            : LdapDirectoryDto.DefaultPort(mode);
        return new(uri?.Host ?? "", port, mode);
    }
}
