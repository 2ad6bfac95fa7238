using System.DirectoryServices.Protocols;
using Runner.Appliance.Features.Services;

namespace Runner.Appliance.Features.Preflight.Ldap;

/// <summary>
/// The blocking libldap steps of one directory's checks, each reporting its outcome; false when
/// the rest cannot run (then the rest is skipped with the reason).
/// </summary>
internal sealed class LdapConversation(LdapConnection connection, LdapDirectoryDto dto, LdapTarget target,
    CheckReport report, IReadOnlyList<CheckDefinition> checks, CancellationToken ct)
{
    private const int SizeLimit = 1000;
    private string[] _namingContexts = [];

    /// <summary>Connects through libldap (LDAPS handshake, or StartTLS) and reads the naming contexts.</summary>
    public bool Secure(CheckDefinition tls, string? certificate)
    {
        try
        {
            // The first request opens the connection: S.DS.P 10 on Linux cannot StartTLS on a connection not yet open.
            var root = (SearchResponse)connection.SendRequest(new SearchRequest("", "(objectClass=*)", SearchScope.Base, "namingContexts"));
            _namingContexts = Values(root, "namingContexts");
        }
        catch (DirectoryOperationException)
        {
            // An anonymous root DSE read may be refused; the connection is open all the same.
        }
        catch (LdapException) when (target.Mode == LdapTlsMode.Ldaps)
        {
            return Untrusted(tls, certificate);
        }
        if (target.Mode == LdapTlsMode.StartTls)
        {
            try
            {
                connection.SessionOptions.StartTransportLayerSecurity(null);
            }
            catch (DirectoryException)
            {
                return Untrusted(tls, certificate);
            }
        }
        report.Report(tls, target.Mode == LdapTlsMode.None
            ? CheckOutcome.Skipped("No TLS (mode None): the bind password travels in clear.")
            : CheckOutcome.Passed($"TLS ({target.Mode}) with {target.Endpoint}: the certificate is trusted.", certificate));
        return true;
    }

    public bool Bind(CheckDefinition bind, string? password)
    {
        if (string.IsNullOrWhiteSpace(dto.BindDn))
        {
            report.Report(bind, CheckOutcome.Skipped("No bind DN: the directory is searched anonymously."));
            return true;
        }
        // libldap sends an empty password as an unauthenticated bind, which "succeeds" and proves nothing.
        if (string.IsNullOrEmpty(password))
            return Stop(bind, CheckOutcome.Failed($"No bind password is set for {dto.BindDn}.", "bindPassword"), "No bind password.");
        try
        {
            connection.Bind();
            report.Report(bind, CheckOutcome.Passed($"{dto.BindDn} bound to {target.Endpoint}."));
            return true;
        }
        catch (LdapException e) when (e.ErrorCode == 49)
        {
            return Stop(bind, CheckOutcome.Failed(
                $"{dto.Alias} at {target.Endpoint}: bind refused for {dto.BindDn} (invalid credentials: wrong password, or no such entry).", "bindPassword"), "The bind was refused.");
        }
        catch (LdapException e) when (e.ErrorCode != 81)
        {
            return Stop(bind, CheckOutcome.Failed($"{dto.Alias} at {target.Endpoint}: bind as {dto.BindDn} refused: {e.Message} (LDAP {e.ErrorCode}).", "bindDn"), "The bind was refused.");
        }
    }

    public bool BaseExists(CheckDefinition baseDn)
    {
        var contexts = _namingContexts.Length > 0 ? $"; naming contexts there: {string.Join(", ", _namingContexts)}" : "";
        if (string.IsNullOrWhiteSpace(dto.BaseDn))
            return Stop(baseDn, CheckOutcome.Failed($"No base DN is set{contexts}.", "baseDn"), "No base DN.");
        try
        {
            connection.SendRequest(new SearchRequest(dto.BaseDn, "(objectClass=*)", SearchScope.Base, "1.1"));
            report.Report(baseDn, CheckOutcome.Passed($"Base DN {dto.BaseDn} exists on {target.Endpoint}."));
            return true;
        }
        catch (DirectoryOperationException e) when (e.Response?.ResultCode == ResultCode.NoSuchObject)
        {
            var nearest = string.IsNullOrEmpty(e.Response.MatchedDN) ? "" : $"; the nearest existing entry is {e.Response.MatchedDN}";
            return Stop(baseDn, CheckOutcome.Failed($"Base DN '{dto.BaseDn}' does not exist on {target.Endpoint}{contexts}{nearest}.", "baseDn"), "The base DN does not exist.");
        }
        catch (DirectoryOperationException e)
        {
            return Stop(baseDn, CheckOutcome.Failed(
                $"Base DN '{dto.BaseDn}' cannot be read as {Who}: {e.Response?.ResultCode} (does the bind DN have read rights?).", "baseDn"), "The base DN cannot be read.");
        }
    }

    /// <summary>How many entries <paramref name="filter"/> finds under the base DN; none is <paramref name="noneIs"/>.</summary>
    public void Count(CheckDefinition check, string? filter, string field, string noun, CheckStatus noneIs)
    {
        if (ct.IsCancellationRequested)
            return;
        if (string.IsNullOrWhiteSpace(filter))
        {
            report.Report(check, CheckOutcome.Failed("No filter is set.", field));
            return;
        }
        SearchResponse response;
        try
        {
            response = (SearchResponse)connection.SendRequest(new SearchRequest(dto.BaseDn, filter, SearchScope.Subtree, "1.1")
            { SizeLimit = SizeLimit, TimeLimit = connection.Timeout });
        }
        catch (LdapException e) when (e.ErrorCode == 87)
        {
            report.Report(check, CheckOutcome.Failed($"'{filter}' is not a valid LDAP filter (RFC 4515), e.g. (objectClass=inetOrgPerson).", field));
            return;
        }
        catch (DirectoryOperationException e) when (e.Response is SearchResponse { ResultCode: ResultCode.SizeLimitExceeded or ResultCode.AdminLimitExceeded } partial)
        {
            response = partial;
        }
        catch (DirectoryOperationException e)
        {
            report.Report(check, CheckOutcome.Failed($"Searching {filter} under {dto.BaseDn} failed: {e.Response?.ResultCode}.", field));
            return;
        }
        var count = response.Entries.Count;
        var samples = string.Join("; ", response.Entries.Cast<SearchResultEntry>().Take(3).Select(e => e.DistinguishedName));
        report.Report(check, count == 0
            ? new CheckOutcome(noneIs, $"{filter} finds no {noun} under {dto.BaseDn} on {target.Endpoint} (searched as {Who}).", field)
            : CheckOutcome.Passed($"{filter} finds {(count >= SizeLimit ? "at least " : "")}{count} {(count == 1 ? noun.TrimEnd('s') : noun)} under {dto.BaseDn}.", samples));
    }

    private string Who => string.IsNullOrWhiteSpace(dto.BindDn) ? "anonymous" : dto.BindDn;

    // Never bind after a failed StartTLS: libldap would send the password in clear (dotnet/runtime#54274).
    private bool Untrusted(CheckDefinition tls, string? certificate) => Stop(tls, CheckOutcome.Failed(
        $"TLS ({target.Mode}) with {target.Endpoint} failed: the server's certificate is not trusted by the appliance, or does not name {target.Host}. Import its CA or use the name its certificate carries.",
        "url", certificate), "TLS failed.");

    private bool Stop(CheckDefinition check, CheckOutcome outcome, string reason)
    {
        report.Report(check, outcome);
        report.SkipRest(checks, reason);
        return false;
    }

    private static string[] Values(SearchResponse response, string attribute) =>
        response.Entries.Count > 0 && response.Entries[0].Attributes[attribute] is { } values
            ? [.. values.GetValues(typeof(string)).Cast<string>()]
            : [];
}
