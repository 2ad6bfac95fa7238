using System.DirectoryServices.Protocols;
using System.Net;
using Runner.Appliance.Integrations.Tls;

namespace Runner.Appliance.Integrations.Ldap;

/// <summary>
/// One conversation with a directory through libldap (System.DirectoryServices.Protocols): blocking
/// calls that throw what S.DS.P throws. Start it only once <see cref="LdapProbe"/> has seen the server
/// answer: on Linux libldap has no working timeout, so a silent server would hold a call until it
/// closes the socket.
/// </summary>
public sealed class LdapConversation : IDisposable
{
    private readonly LdapConnection _connection;

    /// <param name="authorities">The site CAs: libldap trusts the system bundle, or a directory holding it with them.</param>
    public LdapConversation(string host, int port, bool ldaps, string? bindDn, string? password, TimeSpan timeout, SiteAuthorities authorities)
    {
        _connection = new LdapConnection(new LdapDirectoryIdentifier(host, port), new NetworkCredential(bindDn, password), AuthType.Basic)
        { AutoBind = false, Timeout = timeout };
        _connection.SessionOptions.ProtocolVersion = 3;
        // Active Directory answers with referrals to other domains; chasing them is slow and not what we test.
        _connection.SessionOptions.ReferralChasing = ReferralChasingOptions.None;
        if (ldaps)
            _connection.SessionOptions.SecureSocketLayer = true;
        if (authorities.Directory is { } trusted && !OperatingSystem.IsWindows())
        {
            _connection.SessionOptions.TrustedCertificatesDirectory = trusted;
            _connection.SessionOptions.StartNewTlsSessionContext();
        }
    }

    /// <summary>
    /// Opens the connection by reading the root DSE's naming contexts; empty when an anonymous read is
    /// refused (the connection is open all the same). Over LDAPS an untrusted certificate throws <see cref="LdapException"/>.
    /// </summary>
    public IReadOnlyList<string> Open()
    {
        try
        {
            // The first request opens the connection: S.DS.P 10 on Linux cannot StartTLS on a connection not yet open.
            var root = (SearchResponse)_connection.SendRequest(new SearchRequest("", "(objectClass=*)", SearchScope.Base, "namingContexts"));
            return root.Entries.Count > 0 && root.Entries[0].Attributes["namingContexts"] is { } values
                ? [.. values.GetValues(typeof(string)).Cast<string>()]
                : [];
        }
        catch (DirectoryOperationException)
        {
            return [];
        }
    }

    /// <summary>StartTLS on the open connection; a refusal or an untrusted certificate throws <see cref="DirectoryException"/>.</summary>
    public void StartTls() => _connection.SessionOptions.StartTransportLayerSecurity(null);

    /// <summary>Binds with the bind DN and password; a refusal throws <see cref="LdapException"/> (49: invalid credentials).</summary>
    public void Bind() => _connection.Bind();

    /// <summary>Reads one entry by DN; a missing or unreadable one throws <see cref="DirectoryOperationException"/>.</summary>
    public void Read(string dn) => _connection.SendRequest(new SearchRequest(dn, "(objectClass=*)", SearchScope.Base, "1.1"));

    /// <summary>
    /// The DNs of the entries <paramref name="filter"/> finds under <paramref name="baseDn"/>, at most
    /// <paramref name="sizeLimit"/> (a server limit gives those it sent); an invalid filter throws
    /// <see cref="LdapException"/> (87), a refused search <see cref="DirectoryOperationException"/>.
    /// </summary>
    public IReadOnlyList<string> Search(string baseDn, string filter, int sizeLimit)
    {
        SearchResponse response;
        try
        {
            response = (SearchResponse)_connection.SendRequest(new SearchRequest(baseDn, filter, SearchScope.Subtree, "1.1")
            { SizeLimit = sizeLimit, TimeLimit = _connection.Timeout });
        }
        catch (DirectoryOperationException e) when (e.Response is SearchResponse { ResultCode: ResultCode.SizeLimitExceeded or ResultCode.AdminLimitExceeded } partial)
        {
            response = partial;
        }
        return [.. response.Entries.Cast<SearchResultEntry>().Select(e => e.DistinguishedName)];
    }

    public void Dispose() => _connection.Dispose();
}
