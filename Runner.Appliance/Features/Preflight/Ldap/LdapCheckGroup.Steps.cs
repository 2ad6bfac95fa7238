using System.DirectoryServices.Protocols;
using Runner.Appliance.Features.Services;
using Runner.Appliance.Integrations.Ldap;

namespace Runner.Appliance.Features.Preflight.Ldap;

// The blocking libldap steps, each reporting its outcome; false when the rest cannot run (then the rest is skipped with the reason).
internal sealed partial class LdapCheckGroup
{
    private const int SizeLimit = 1000;
    private IReadOnlyList<string> _namingContexts = [];

    /// <summary>Connects through libldap (LDAPS handshake, or StartTLS) and reads the naming contexts.</summary>
    private bool Secure(LdapConversation conversation, CheckReport report)
    {
        try
        {
            _namingContexts = conversation.Open();
        }
        catch (LdapException) when (_target.Mode == LdapTlsMode.Ldaps)
        {
            return Untrusted(report);
        }
        if (_target.Mode == LdapTlsMode.StartTls)
        {
            try
            {
                conversation.StartTls();
            }
            catch (DirectoryException)
            {
                return Untrusted(report);
            }
        }
        report.Report(_tls, _target.Mode == LdapTlsMode.None
            ? CheckOutcome.Skipped("No TLS (mode None): the bind password travels in clear.")
            : CheckOutcome.Passed($"TLS ({_target.Mode}) with {_target.Endpoint}: the certificate is trusted.", _certificate));
        return true;
    }

    private bool Bind(LdapConversation conversation, CheckReport report)
    {
        if (string.IsNullOrWhiteSpace(_dto.BindDn))
        {
            report.Report(_bind, CheckOutcome.Skipped("No bind DN: the directory is searched anonymously."));
            return true;
        }
        // libldap sends an empty password as an unauthenticated bind, which "succeeds" and proves nothing.
        if (string.IsNullOrEmpty(_password))
            return Stop(report, _bind, CheckOutcome.Failed($"No bind password is set for {_dto.BindDn}.", "bindPassword"), "No bind password.");
        try
        {
            conversation.Bind();
            report.Report(_bind, CheckOutcome.Passed($"{_dto.BindDn} bound to {_target.Endpoint}."));
            return true;
        }
        catch (LdapException e) when (e.ErrorCode == 49)
        {
            return Stop(report, _bind, CheckOutcome.Failed(
                $"{_dto.Alias} at {_target.Endpoint}: bind refused for {_dto.BindDn} (invalid credentials: wrong password, or no such entry).", "bindPassword"), "The bind was refused.");
        }
        catch (LdapException e) when (e.ErrorCode != 81)
        {
            return Stop(report, _bind, CheckOutcome.Failed($"{_dto.Alias} at {_target.Endpoint}: bind as {_dto.BindDn} refused: {e.Message} (LDAP {e.ErrorCode}).", "bindDn"), "The bind was refused.");
        }
    }

    private bool BaseExists(LdapConversation conversation, CheckReport report)
    {
        var contexts = _namingContexts.Count > 0 ? $"; naming contexts there: {string.Join(", ", _namingContexts)}" : "";
        if (string.IsNullOrWhiteSpace(_dto.BaseDn))
            return Stop(report, _baseDn, CheckOutcome.Failed($"No base DN is set{contexts}.", "baseDn"), "No base DN.");
        try
        {
            conversation.Read(_dto.BaseDn);
            report.Report(_baseDn, CheckOutcome.Passed($"Base DN {_dto.BaseDn} exists on {_target.Endpoint}."));
            return true;
        }
        catch (DirectoryOperationException e) when (e.Response?.ResultCode == ResultCode.NoSuchObject)
        {
            var nearest = string.IsNullOrEmpty(e.Response.MatchedDN) ? "" : $"; the nearest existing entry is {e.Response.MatchedDN}";
            return Stop(report, _baseDn, CheckOutcome.Failed($"Base DN '{_dto.BaseDn}' does not exist on {_target.Endpoint}{contexts}{nearest}.", "baseDn"), "The base DN does not exist.");
        }
        catch (DirectoryOperationException e)
        {
            return Stop(report, _baseDn, CheckOutcome.Failed(
                $"Base DN '{_dto.BaseDn}' cannot be read as {Who}: {e.Response?.ResultCode} (does the bind DN have read rights?).", "baseDn"), "The base DN cannot be read.");
        }
    }

    /// <summary>How many entries <paramref name="filter"/> finds under the base DN; none is <paramref name="noneIs"/>.</summary>
    private void Count(LdapConversation conversation, CheckReport report, CheckDefinition check, string? filter, string field, string noun, CheckStatus noneIs, CancellationToken ct)
    {
        if (ct.IsCancellationRequested)
            return;
        if (string.IsNullOrWhiteSpace(filter))
        {
            report.Report(check, CheckOutcome.Failed("No filter is set.", field));
            return;
        }
        IReadOnlyList<string> found;
        try
        {
            found = conversation.Search(_dto.BaseDn!, filter, SizeLimit);
        }
        catch (LdapException e) when (e.ErrorCode == 87)
        {
            report.Report(check, CheckOutcome.Failed($"'{filter}' is not a valid LDAP filter (RFC 4515), e.g. (objectClass=inetOrgPerson).", field));
            return;
        }
        catch (DirectoryOperationException e)
        {
            report.Report(check, CheckOutcome.Failed($"Searching {filter} under {_dto.BaseDn} failed: {e.Response?.ResultCode}.", field));
            return;
        }
        var count = found.Count;
        report.Report(check, count == 0
            ? new CheckOutcome(noneIs, $"{filter} finds no {noun} under {_dto.BaseDn} on {_target.Endpoint} (searched as {Who}).", field)
            : CheckOutcome.Passed($"{filter} finds {(count >= SizeLimit ? "at least " : "")}{count} {(count == 1 ? noun.TrimEnd('s') : noun)} under {_dto.BaseDn}.", string.Join("; ", found.Take(3))));
    }

    private string Who => string.IsNullOrWhiteSpace(_dto.BindDn) ? "anonymous" : _dto.BindDn;

    // Never bind after a failed StartTLS: libldap would send the password in clear (dotnet/runtime#54274).
    private bool Untrusted(CheckReport report) => Stop(report, _tls, CheckOutcome.Failed(
        $"TLS ({_target.Mode}) with {_target.Endpoint} failed: the server's certificate is not trusted by the appliance, or does not name {_target.Host}. Import its CA or use the name its certificate carries.",
        "url", _certificate), "TLS failed.");
}
